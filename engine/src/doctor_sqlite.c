/*
 * doctor_sqlite.c - a look at a SQLite database and where it lives,
 * changing nothing: the file and its modes, whether it may be written, its
 * schema, SQLite's own integrity checks, the file system (network ones
 * break WAL) and the free space.  A helper of store_sqlite.c: it opens the
 * file with sqlite_connect, which does not migrate, and reads it with
 * SQLite directly.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

#include "doctor_sqlite.h"
#include "store_sqlite.h"

/* Less free space than this is worth a warning: a few thousand sessions
 * fit in it, but a disk this full is about to fail every write. */
#define LOW_SPACE (100LL * 1024 * 1024)

/* The most lines of PRAGMA integrity_check that are reported. */
#define INTEGRITY_LINES 10

static const struct {
	unsigned long magic;
	const char *name;
	int network;
} filesystems[] = {
	{ 0xEF53, "ext4", DOCTOR_FS_LOCAL }, /* ext2, ext3 and ext4 alike */
	{ 0x9123683E, "btrfs", DOCTOR_FS_LOCAL },
	{ 0x58465342, "xfs", DOCTOR_FS_LOCAL },
	{ 0x2FC12FC1, "zfs", DOCTOR_FS_LOCAL },
	{ 0xF2F52010, "f2fs", DOCTOR_FS_LOCAL },
	{ 0x01021994, "tmpfs", DOCTOR_FS_LOCAL },
	{ 0x794C7630, "overlayfs", DOCTOR_FS_LOCAL },
	{ 0x4D44, "vfat", DOCTOR_FS_LOCAL },
	{ 0x2011BAB0, "exfat", DOCTOR_FS_LOCAL },
	{ 0x5346544E, "ntfs", DOCTOR_FS_LOCAL },
	{ 0x6969, "nfs", DOCTOR_FS_NETWORK },
	{ 0x517B, "smb", DOCTOR_FS_NETWORK },
	{ 0xFF534D42, "cifs", DOCTOR_FS_NETWORK },
	{ 0xFE534D42, "smb2", DOCTOR_FS_NETWORK },
	{ 0x73757245, "coda", DOCTOR_FS_NETWORK },
	{ 0x5346414F, "afs", DOCTOR_FS_NETWORK },
	{ 0x6B414653, "afs", DOCTOR_FS_NETWORK },
	{ 0x00C36400, "ceph", DOCTOR_FS_NETWORK },
	{ 0x01021997, "9p", DOCTOR_FS_NETWORK },
	{ 0x0BD00BD0, "lustre", DOCTOR_FS_NETWORK },
	{ 0x01161970, "gfs2", DOCTOR_FS_NETWORK },
	{ 0x7461636F, "ocfs2", DOCTOR_FS_NETWORK },
	{ 0x47504653, "gpfs", DOCTOR_FS_NETWORK },
	{ 0x564C, "ncp", DOCTOR_FS_NETWORK },
	/* sshfs, rclone mounts and such, but also local ones */
	{ 0x65735546, "fuse", DOCTOR_FS_MAYBE },
};

int doctor_fs_kind(unsigned long magic, const char **name)
{
	for (size_t i = 0; i < sizeof(filesystems) / sizeof(filesystems[0]);
	     i++) {
		if (filesystems[i].magic == (magic & 0xFFFFFFFFUL)) {
			*name = filesystems[i].name;
			return filesystems[i].network;
		}
	}
	*name = NULL;
	return DOCTOR_FS_LOCAL;
}

/* Append {"check", "status", "message"} to `checks`; returns it so that a
 * caller can add details. */
static cJSON *add_check(cJSON *checks, const char *name, const char *status,
			const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static cJSON *add_check(cJSON *checks, const char *name, const char *status,
			const char *fmt, ...)
{
	cJSON *check = cJSON_CreateObject();
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(check, "check", name);
	cJSON_AddStringToObject(check, "status", status);
	cJSON_AddStringToObject(check, "message", message);
	cJSON_AddItemToArray(checks, check);
	return check;
}

/* The modes of the database file, or of its -wal or -shm beside it. */
static void check_mode(cJSON *checks, const char *path, const char *suffix,
		       int must_exist)
{
	char file[PATH_MAX + 8], mode[8];
	struct stat st;
	unsigned int perm;
	cJSON *check;

	snprintf(file, sizeof(file), "%s%s", path, suffix);
	if (lstat(file, &st) < 0) {
		if (must_exist || errno != ENOENT)
			add_check(checks, "modes", "fail", "%s: %s", file,
				  strerror(errno));
		return;
	}
	perm = st.st_mode & 07777;
	snprintf(mode, sizeof(mode), "%04o", perm);
	if (S_ISLNK(st.st_mode))
		check = add_check(checks, "modes", "fail",
				  "%s is a symbolic link; casework opens only "
				  "the file itself",
				  file);
	else if (!S_ISREG(st.st_mode))
		check = add_check(checks, "modes", "fail",
				  "%s is not a regular file", file);
	else if (perm & 077)
		check = add_check(checks, "modes", "fail",
				  "%s is readable or writable by %s (%s): "
				  "chmod 600 %s",
				  file, perm & 007 ? "others" : "its group",
				  mode, file);
	else if (st.st_uid != geteuid())
		check = add_check(checks, "modes", "warn",
				  "%s belongs to another user (uid %u)", file,
				  (unsigned int)st.st_uid);
	else
		check = add_check(checks, "modes", "ok", "%s is owner-only (%s)",
				  file, mode);
	cJSON_AddStringToObject(check, "file", file);
	cJSON_AddStringToObject(check, "mode", mode);
}

/* The schema version against this library's; 0 when the file is a
 * casework database this library can read (now or after init). */
static int check_schema(cJSON *doc, cJSON *checks, cw_store *s)
{
	int version = 0, app = 0, tables = 0, latest = schema_latest();
	cJSON *schema;

	if (schema_int(s, "PRAGMA application_id", &app) < 0 ||
	    schema_int(s, "PRAGMA user_version", &version) < 0 ||
	    schema_int(s, "SELECT count(*) FROM sqlite_schema", &tables) < 0) {
		add_check(checks, "schema", "fail", "%s", cw_error_last());
		return -1;
	}
	schema = cJSON_AddObjectToObject(doc, "schema");
	cJSON_AddNumberToObject(schema, "version", version);
	cJSON_AddNumberToObject(schema, "latest", latest);
	cJSON_AddBoolToObject(schema, "casework",
			      app == SCHEMA_APPLICATION_ID ||
				      (app == 0 && tables == 0));
	if (app != 0 && app != SCHEMA_APPLICATION_ID) {
		add_check(checks, "schema", "fail",
			  "not a casework database (application id %d)", app);
		return -1;
	}
	if (app == 0 && tables > 0) {
		add_check(checks, "schema", "fail",
			  "not a casework database (it holds other tables)");
		return -1;
	}
	if (version > latest) {
		add_check(checks, "schema", "fail",
			  "version %d, newer than this casework (%d): use a "
			  "newer casework",
			  version, latest);
		return -1;
	}
	if (version < latest)
		add_check(checks, "schema", "warn",
			  "version %d of %d: 'casework init' upgrades it",
			  version, latest);
	else
		add_check(checks, "schema", "ok",
			  "version %d, the latest this casework knows",
			  version);
	return 0;
}

/* PRAGMA integrity_check and foreign_key_check, which only read. */
static void check_integrity(cJSON *checks, cw_store *s)
{
	sqlite3_stmt *st = NULL;
	sqlite3_str *found = sqlite3_str_new(NULL);
	char *text;
	int rc, lines = 0, orphans = 0;

	rc = sqlite3_prepare_v2(sqlite_db(s), "PRAGMA integrity_check", -1, &st,
				NULL);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *line =
				(const char *)sqlite3_column_text(st, 0);

			if (line == NULL || strcmp(line, "ok") == 0)
				continue;
			if (lines++ < INTEGRITY_LINES)
				sqlite3_str_appendf(found, "%s%s",
						    lines > 1 ? "; " : "", line);
		}
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_OK) {
		sqlite3_str_appendf(found, "%s%s", lines++ ? "; " : "",
				    sqlite3_errmsg(sqlite_db(s)));
	} else {
		rc = sqlite3_prepare_v2(sqlite_db(s), "PRAGMA foreign_key_check", -1,
					&st, NULL);
		while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			orphans++;
		sqlite3_finalize(st);
	}
	text = sqlite3_str_finish(found);
	if (lines > 0)
		add_check(checks, "integrity", "fail",
			  "integrity_check found %d problem%s: %s%s", lines,
			  lines == 1 ? "" : "s", text ? text : "",
			  lines > INTEGRITY_LINES ? "; ..." : "");
	else if (orphans > 0)
		add_check(checks, "integrity", "fail",
			  "integrity_check ok, but %d row%s refer%s to rows "
			  "that are not there (foreign_key_check)",
			  orphans, orphans == 1 ? "" : "s",
			  orphans == 1 ? "s" : "");
	else
		add_check(checks, "integrity", "ok",
			  "integrity_check ok; foreign keys ok");
	sqlite3_free(text);
}

static void check_filesystem(cJSON *doc, cJSON *checks, const char *dir)
{
#ifdef __linux__
	struct statfs fs;
	const char *name = NULL;
	char hex[24];
	int kind;
	cJSON *where;

	if (statfs(dir, &fs) < 0) {
		add_check(checks, "filesystem", "warn", "%s: %s", dir,
			  strerror(errno));
		return;
	}
	kind = doctor_fs_kind((unsigned long)fs.f_type, &name);
	snprintf(hex, sizeof(hex), "0x%lx", (unsigned long)fs.f_type);
	where = cJSON_AddObjectToObject(doc, "filesystem");
	cJSON_AddStringToObject(where, "type", name ? name : hex);
	cJSON_AddBoolToObject(where, "network", kind == DOCTOR_FS_NETWORK);
	if (kind == DOCTOR_FS_NETWORK)
		add_check(checks, "filesystem", "warn",
			  "%s is on a network file system (%s): SQLite's WAL "
			  "needs shared memory that one does not give, so two "
			  "machines writing may corrupt it; keep the database "
			  "on a local disk",
			  dir, name);
	else if (kind == DOCTOR_FS_MAYBE)
		add_check(checks, "filesystem", "warn",
			  "%s is on a FUSE file system, which may be a network "
			  "one (sshfs): SQLite's WAL does not work over a "
			  "network",
			  dir);
	else
		add_check(checks, "filesystem", "ok", "%s, a local file system",
			  name ? name : hex);
#else
	(void)doc;
	add_check(checks, "filesystem", "ok",
		  "not checked on this system (%s)", dir);
#endif
}

static void check_space(cJSON *doc, cJSON *checks, const char *dir)
{
	struct statvfs vfs;
	long long bytes;
	double mib;

	if (statvfs(dir, &vfs) < 0) {
		add_check(checks, "space", "warn", "%s: %s", dir,
			  strerror(errno));
		return;
	}
	bytes = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
	mib = (double)bytes / (1024.0 * 1024.0);
	cJSON_AddNumberToObject(doc, "free_bytes", (double)bytes);
	if (bytes < LOW_SPACE)
		add_check(checks, "space", "warn",
			  "only %.1f MiB free on the disk: a full disk fails "
			  "every write",
			  mib);
	else if (mib >= 1024.0)
		add_check(checks, "space", "ok", "%.1f GiB free", mib / 1024.0);
	else
		add_check(checks, "space", "ok", "%.0f MiB free", mib);
}

/* The folder of `path` (".", "/" or up to the last slash); caller frees. */
static char *folder_of(const char *path)
{
	char *dir = strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;

	if (dir == NULL)
		return NULL;
	if (slash == dir)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	else
		snprintf(dir, strlen(path) + 1, ".");
	return dir;
}

int cw_store_doctor(cJSON **out, const char *path)
{
	cJSON *doc = NULL, *checks, *check;
	cw_store *s = NULL;
	char *dir = NULL, real[PATH_MAX];
	const char *base;
	struct stat st;
	int problems = 0, error = 0;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return cw_error_set(CW_EINVALID, "the database path is empty");
	if (strncmp(path, "postgresql://", 13) == 0 ||
	    strncmp(path, "postgres://", 11) == 0)
		return store_pg_doctor(out, path);
	if (lstat(path, &st) < 0)
		return errno == ENOENT
			       ? cw_error_set(CW_ENOTFOUND,
					      "no database at %s: run "
					      "'casework init' (or import a "
					      "case)",
					      path)
			       : cw_error_set(CW_ERROR, "cannot examine %s: %s",
					      path, strerror(errno));
	if ((dir = folder_of(path)) == NULL ||
	    (doc = cJSON_CreateObject()) == NULL) {
		error = cw_error_set(CW_ERROR, CW_NOMEM_MESSAGE);
		goto cleanup;
	}
	/* the full path, through linked folders, but not through a link
	 * that is the database itself */
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (realpath(dir, real) != NULL && strlen(real) + strlen(base) + 2 <=
						   sizeof(real)) {
		if (strcmp(real, "/") != 0)
			strcat(real, "/");
		strcat(real, base);
		cJSON_AddStringToObject(doc, "database", real);
	} else {
		cJSON_AddStringToObject(doc, "database", path);
	}
	if (S_ISREG(st.st_mode))
		cJSON_AddNumberToObject(doc, "size_bytes", (double)st.st_size);
	cJSON_AddStringToObject(doc, "sqlite", sqlite3_libversion());
	checks = cJSON_AddArrayToObject(doc, "checks");

	check_mode(checks, path, "", 1);
	check_mode(checks, path, "-wal", 0);
	check_mode(checks, path, "-shm", 0);
	if (sqlite_connect(&s, path, 0) < 0) {
		add_check(checks, "open", "fail", "%s", cw_error_last());
	} else {
		if (s->readonly_why != NULL)
			add_check(checks, "writable", "warn",
				  "read-only: %s", s->readonly_why);
		else
			add_check(checks, "writable", "ok",
				  "this user may write it");
		if (check_schema(doc, checks, s) == 0)
			check_integrity(checks, s);
	}
	check_filesystem(doc, checks, dir);
	check_space(doc, checks, dir);

	cJSON_ArrayForEach(check, checks)
		problems += strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(
					   check, "status")),
				   "ok") != 0;
	cJSON_AddBoolToObject(doc, "healthy", problems == 0);
	cJSON_AddNumberToObject(doc, "problems", problems);
	*out = doc;
	doc = NULL;
	cw_error_clear();
cleanup:
	cw_store_free(s);
	cJSON_Delete(doc);
	free(dir);
	return error;
}
