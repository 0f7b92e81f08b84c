/*
 * key.h - which keys a database trusts, and whether an instructor act in
 * a bundle is signed by one of them.  Private to the engine (the public
 * half is in casework/bundle.h).
 */
#ifndef CW_KEY_H
#define CW_KEY_H

#include "store.h"

/* 1 when event `ev` of session `session` carries a signature ("signed":
 * {"key", "sig"} in its payload) that verifies and is made by a key the
 * database trusts; 0 otherwise; an error when the store fails. */
int key_act_trusted(cw_store *s, const event_row *ev);

/* The setting that lists the left-out acts of a session. */
#define KEY_LEFT_OUT_PREFIX "left_out:"

#endif
