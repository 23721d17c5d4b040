#ifndef SWIFTCODER_CSPAWN_H
#define SWIFTCODER_CSPAWN_H
/* Process helpers for AgentTools' run_command that Swift cannot reach: glibc hides
   posix_spawn_file_actions_addchdir_np and pipe2 without _GNU_SOURCE, and prctl is
   variadic. */
#include <sys/types.h>

/* Starts `path` with `argv` and the environment `envp` in `directory` as the leader of a new
   session (setsid: no controlling terminal, so it cannot read the user's keys or take the
   terminal's foreground; its process group id is its pid), with stdin from /dev/null, stdout
   and stderr into one pipe, every other descriptor closed (closefrom 3, whatever leaked
   without close-on-exec), an empty signal mask and every signal at its default disposition.
   On success returns 0, stores the child's pid and the pipe's read end (close-on-exec); else
   returns an errno value. */
int sc_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
             pid_t *pid, int *output_fd);

/* Like `sc_spawn`, for a long-running server spoken to over pipes (an MCP server over stdio):
   stdin, stdout and stderr are three pipes; this process keeps the write end of stdin and
   the read ends of stdout and stderr (all close-on-exec). Returns 0 or an errno value. */
int sc_spawn_piped(const char *path, char *const argv[], char *const envp[], const char *directory,
                   pid_t *pid, int *stdin_fd, int *stdout_fd, int *stderr_fd);

/* `sc_spawn` of `/bin/bash -c command` with this process's environment. */
int sc_spawn_shell(const char *directory, const char *command, pid_t *pid, int *output_fd);

/* Makes this process the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER), so a
   command's background children can be reaped with waitpid(-pgid) instead of lingering as
   zombies when PID 1 does not reap. Returns 0 on success, else an errno value. */
int sc_become_child_subreaper(void);
#endif
