#ifndef SWIFTCODER_CSPAWN_H
#define SWIFTCODER_CSPAWN_H
/* Process helpers for AgentTools' run_command that Swift cannot reach: glibc hides
   posix_spawn_file_actions_addchdir_np and pipe2 without _GNU_SOURCE, and prctl is
   variadic. */
#include <sys/types.h>

/* Starts `/bin/bash -c command` in `directory` as the leader of a new process group, with
   stdin from /dev/null, stdout and stderr into one pipe, an empty signal mask and every
   signal at its default disposition. On success returns 0, stores the child's pid (which
   is also its process group id) and the pipe's read end (close-on-exec); else returns an
   errno value. */
int sc_spawn_shell(const char *directory, const char *command, pid_t *pid, int *output_fd);

/* Makes this process the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER), so a
   command's background children can be reaped with waitpid(-pgid) instead of lingering as
   zombies when PID 1 does not reap. Returns 0 on success, else an errno value. */
int sc_become_child_subreaper(void);
#endif
