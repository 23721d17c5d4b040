#ifndef SWIFTCODER_CSHIMS_H
#define SWIFTCODER_CSHIMS_H
/* Terminal and locale helpers Swift cannot express: signal-safe terminal restore,
   wcwidth, UTF-8 locale setup, and a self-pipe that wakes the input thread on SIGWINCH.
   libcurl's helpers live in CCurlShims, so nothing here pulls in <curl/curl.h>. */
#include <stddef.h>
#include <stdint.h>

/* ---- Display width of one Unicode scalar (glibc wcwidth; needs a UTF-8 LC_CTYPE). */
int sc_wcwidth(uint32_t scalar);
/* Sets LC_ALL from the environment; if LC_CTYPE is not UTF-8, falls back to C.UTF-8.
   Returns 1 when the resulting codeset is UTF-8. */
int sc_setup_utf8_locale(void);

/* ---- Terminal restore: saves termios of fd 0 and installs handlers for SIGINT,
   SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT and SIGTRAP that
   leave the alternate screen, restore termios, then die of the signal. On a crash the
   previous handler (Swift's backtracer) runs first only when chain_crash_handlers is 1:
   it opens the tty and waits for a key unless SWIFT_BACKTRACE says interactive=no.
   Call before initscr. */
void sc_install_terminal_guard(int chain_crash_handlers);
/* Restores the terminal immediately (used on normal exit and by the handlers). */
void sc_restore_terminal(void);
/* After a normal shutdown the guard has nothing left to restore. */
void sc_disarm_terminal_guard(void);
/* Set by SIGINT/SIGTERM/SIGHUP while the guard is armed and the app handles them
   itself: returns and clears the pending signal number (0 when none). */
int sc_take_pending_signal(void);
/* When 1, SIGINT/SIGTERM/SIGHUP are recorded (and the wake pipe written) instead of
   restoring and re-raising: the app shuts down cleanly from its own loop. */
void sc_set_graceful_signals(int enabled);

/* ---- Input wake-up: a self-pipe written by SIGWINCH (chained to the previous,
   ncurses', handler) and by sc_wake_input(). Returns the read end, or -1. */
int sc_wake_pipe_setup(void);
void sc_wake_input(void);
void sc_wake_pipe_drain(void);
/* Waits until fd 0 or the wake pipe is readable, or timeout_ms passes (-1: forever).
   Returns bit 1 for stdin readable, bit 2 for the wake pipe, bit 4 when stdin hung up
   (POLLHUP, POLLERR, POLLNVAL), bit 8 when the terminal says readable with nothing queued
   (end of input), bit 16 when the wake pipe failed; 0 on timeout, -1 on error. */
int sc_wait_input(int timeout_ms);
/* Installs the SIGWINCH chain handler (call after initscr so ncurses' own is chained). */
void sc_install_winch_handler(void);

/* ---- stderr redirection while the screen is up. Returns 0 on success. */
int sc_redirect_stderr(const char *path);
int sc_stderr_fd(void);
/* Points stderr back at what it was before sc_redirect_stderr. */
void sc_restore_stderr(void);
/* Writes bytes to fd, retrying on EINTR. */
long sc_write_all(int fd, const void *bytes, size_t count);

/* ---- Alternate signal stacks (signal_stack.c, D58): every thread gets one, so the
   terminal guard runs even when a stack overflow raised the SIGSEGV. The main thread's
   is installed before main; other threads' by the pthread_create wrapper as they start. */
/* Installs a 64 KiB alternate signal stack for the calling thread (once; freed when the
   thread ends). Returns 0 on success. */
int sc_install_signal_stack(void);
/* The size of the calling thread's alternate signal stack, 0 when it has none. */
long sc_signal_stack_size(void);
/* Recurses until the stack overflows (SWIFTCODER_TEST_CRASH, end-to-end tests only). */
long sc_overflow_stack(void);
#endif
