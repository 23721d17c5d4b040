#define _GNU_SOURCE
#include "CSpawn.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

static int configure(posix_spawn_file_actions_t *actions, posix_spawnattr_t *attributes,
                     const char *directory, int write_fd) {
    int error = posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0);
    if (!error) error = posix_spawn_file_actions_adddup2(actions, write_fd, 1);
    if (!error) error = posix_spawn_file_actions_adddup2(actions, write_fd, 2);
    if (!error) error = posix_spawn_file_actions_addchdir_np(actions, directory);
    /* Descriptors opened elsewhere without O_CLOEXEC (a library's) never reach the child. */
    if (!error) error = posix_spawn_file_actions_addclosefrom_np(actions, 3);
    if (error) return error;
    sigset_t empty, all;
    sigemptyset(&empty);
    /* Not sigfillset: it leaves out glibc's internal signals (32 and 33), which posix_spawn
       then sets to SIG_IGN in the child, and an ignored signal stays ignored across exec. */
    memset(&all, 0xff, sizeof all);
    error = posix_spawnattr_setsigmask(attributes, &empty);
    if (!error) error = posix_spawnattr_setsigdefault(attributes, &all);
    /* A new session (and so a new process group led by the child): no controlling terminal. */
    if (!error) error = posix_spawnattr_setflags(attributes,
        POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    return error;
}

int sc_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
             pid_t *pid, int *output_fd) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return errno;
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    int error = configure(&actions, &attributes, directory, fds[1]);
    if (!error) error = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(fds[1]);
    if (error) {
        close(fds[0]);
        return error;
    }
    *output_fd = fds[0];
    return 0;
}

static int signals_and_session(posix_spawnattr_t *attributes) {
    sigset_t empty, all;
    sigemptyset(&empty);
    memset(&all, 0xff, sizeof all);
    int error = posix_spawnattr_setsigmask(attributes, &empty);
    if (!error) error = posix_spawnattr_setsigdefault(attributes, &all);
    if (!error) error = posix_spawnattr_setflags(attributes,
        POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    return error;
}

int sc_spawn_piped(const char *path, char *const argv[], char *const envp[], const char *directory,
                   pid_t *pid, int *stdin_fd, int *stdout_fd, int *stderr_fd) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0) return errno;
    if (pipe2(out, O_CLOEXEC) != 0) { int e = errno; close(in[0]); close(in[1]); return e; }
    if (pipe2(err, O_CLOEXEC) != 0) {
        int e = errno; close(in[0]); close(in[1]); close(out[0]); close(out[1]); return e;
    }
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    int error = posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    if (!error && directory) error = posix_spawn_file_actions_addchdir_np(&actions, directory);
    if (!error) error = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (!error) error = signals_and_session(&attributes);
    if (!error) error = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(in[0]); close(out[1]); close(err[1]);
    if (error) {
        close(in[1]); close(out[0]); close(err[0]);
        return error;
    }
    *stdin_fd = in[1];
    *stdout_fd = out[0];
    *stderr_fd = err[0];
    return 0;
}

int sc_spawn_shell(const char *directory, const char *command, pid_t *pid, int *output_fd) {
    char *argv[] = {"bash", "-c", (char *)command, NULL};
    return sc_spawn("/bin/bash", argv, environ, directory, pid, output_fd);
}

int sc_become_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : errno;
}
