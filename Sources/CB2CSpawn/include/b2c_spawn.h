#ifndef B2C_SPAWN_H
#define B2C_SPAWN_H
#include <spawn.h>

/// pipe2(fds, O_CLOEXEC), which the Swift Glibc overlay does not expose.
int b2c_pipe_cloexec(int fds[2]);
/// posix_spawn_file_actions_addchdir_np (glibc 2.29+), likewise.
int b2c_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
