#define _GNU_SOURCE
#include "b2c_tty.h"
#include <sys/ioctl.h>
#include <termios.h>

int b2c_tty_exclusive(int fd) { return ioctl(fd, TIOCEXCL); }

int b2c_tty_is_exclusive(int fd) {
    int on = 0;
    return ioctl(fd, TIOCGEXCL, &on) < 0 ? -1 : (on != 0);
}

int b2c_tty_modem(int fd, int bits, int set) { return ioctl(fd, set ? TIOCMBIS : TIOCMBIC, &bits); }

int b2c_tty_dtr_bit(void) { return TIOCM_DTR; }

int b2c_tty_rts_bit(void) { return TIOCM_RTS; }

int b2c_tty_output_pending(int fd) {
    int n = 0;
    return ioctl(fd, TIOCOUTQ, &n) < 0 ? -1 : n;
}

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int b2c_pty_open(char *name, unsigned long length) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, length) != 0) {
        close(master);
        return -1;
    }
    return master;
}
