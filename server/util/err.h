/*
 * err.h: the one error enum of gehoord. Functions return 0 (GH_OK) or one of
 * these negative codes; gh_err_str() turns a code into text for a message.
 */
#ifndef GH_ERR_H
#define GH_ERR_H

enum gh_err {
	GH_OK = 0,
	GH_ERR_NOMEM = -1,	/* allocation failed */
	GH_ERR_IO = -2,		/* a file could not be read or written */
	GH_ERR_INVALID = -3,	/* input is malformed */
	GH_ERR_CRYPTO = -4,	/* authentication failed: wrong key or tampered */
	GH_ERR_NOT_FOUND = -5,	/* no such wave, token or record */
	GH_ERR_SPENT = -6,	/* the token was used already */
	GH_ERR_CLOSED = -7,	/* the wave no longer takes answers */
	GH_ERR_DB = -8,		/* the database refused */
	GH_ERR_TOO_LARGE = -9,	/* input is over a limit */
	GH_ERR_PASSPHRASE = -10,/* passphrase wrong or unusable */
	GH_ERR_BUSY = -11,	/* a queue or limit is full; try again */
	GH_ERR_USAGE = -12,	/* a command line is wrong */
	GH_ERR_EXISTS = -13,	/* refusing to overwrite */
	GH_ERR_PRIVACY = -14,	/* the request would weaken a privacy setting */
};

#define GH_WUR __attribute__((warn_unused_result))

/* Returns a static, human-readable text for a gh_err code. */
const char *gh_err_str(int code);

#endif
