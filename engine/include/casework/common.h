/*
 * casework/common.h - what every public header needs.
 */
#ifndef CASEWORK_COMMON_H
#define CASEWORK_COMMON_H

/* The library is built with hidden visibility; only cw_ symbols escape. */
#define CW_EXTERN __attribute__((visibility("default")))

/* The version of casework, of the library and the program alike. */
#define CW_VERSION "0.1.0"

/* A session id: a UUID in its 36-character text form. */
#define CW_ID_LEN 36

#endif
