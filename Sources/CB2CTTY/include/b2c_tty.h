#ifndef B2C_TTY_H
#define B2C_TTY_H

/// The ioctls a serial line needs; ioctl is variadic, which Swift does not import.

/// TIOCEXCL: no further open of the line succeeds (except by root) until it is closed.
int b2c_tty_exclusive(int fd);
/// TIOCGEXCL: 1 if the line is in exclusive mode, 0 if not, -1 on error.
int b2c_tty_is_exclusive(int fd);
/// TIOCMBIS (set != 0) or TIOCMBIC (set == 0) on the modem lines in `bits` (TIOCM_DTR, TIOCM_RTS).
int b2c_tty_modem(int fd, int bits, int set);
/// The TIOCM_DTR and TIOCM_RTS bits.
int b2c_tty_dtr_bit(void);
int b2c_tty_rts_bit(void);
/// TIOCOUTQ: bytes written and not yet sent, or -1.
int b2c_tty_output_pending(int fd);

/// A new pseudo-terminal: posix_openpt, grantpt, unlockpt and ptsname_r (which the Glibc overlay does not expose
/// without _XOPEN_SOURCE). Returns the master descriptor (close-on-exec, no controlling terminal) and writes the
/// slave's path into `name`, or returns -1 with errno set.
int b2c_pty_open(char *name, unsigned long length);

#endif
