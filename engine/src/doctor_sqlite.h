/*
 * doctor.h - what the doctor (doctor.c) shares with the unit tests.
 */
#ifndef CW_DOCTOR_PRIVATE_H
#define CW_DOCTOR_PRIVATE_H

enum {
	DOCTOR_FS_LOCAL = 0,   /* a local disk, or a type not in the table */
	DOCTOR_FS_NETWORK = 1, /* NFS, SMB/CIFS, AFS, Ceph, 9p, ... */
	DOCTOR_FS_MAYBE = 2    /* FUSE: sshfs, or something local */
};

/* Whether statfs's f_type `magic` is a network file system; `*name` is
 * its short name ("nfs"), or NULL for a type not in the table. */
int doctor_fs_kind(unsigned long magic, const char **name);

#endif
