#define _GNU_SOURCE
#include "CShims.h"
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

int sc_wcwidth(uint32_t scalar) { return wcwidth((wchar_t)scalar); }

int sc_setup_utf8_locale(void) {
    setlocale(LC_ALL, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0)) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) return 0;
    codeset = nl_langinfo(CODESET);
    return codeset && strcmp(codeset, "UTF-8") == 0;
}

/* ---- terminal guard -------------------------------------------------------- */
static struct termios saved_termios;
static volatile sig_atomic_t have_termios = 0;
static volatile sig_atomic_t guard_armed = 0;
static volatile sig_atomic_t graceful = 0;
static volatile sig_atomic_t pending_signal = 0;
static int chain_crash_reporter = 0;
static int wake_pipe[2] = {-1, -1};
static int original_stderr = -1;

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGQUIT};
static const int soft_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIG_SLOTS 65
static struct sigaction previous[NSIG_SLOTS];

long sc_write_all(int fd, const void *bytes, size_t count) {
    const char *p = bytes;
    size_t left = count;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0) { if (errno == EINTR) continue; return -1; }
        p += n; left -= (size_t)n;
    }
    return (long)count;
}

void sc_restore_terminal(void) {
    if (!guard_armed) return;
    guard_armed = 0;
    /* Show cursor, reset attributes, disable mouse + bracketed paste, leave alternate screen. */
    static const char seq[] = "\033[?1000l\033[?1002l\033[?1006l\033[?2004l\033[0m\033[?25h\033[?1049l\r";
    sc_write_all(STDOUT_FILENO, seq, sizeof(seq) - 1);
    if (have_termios) tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
}

void sc_disarm_terminal_guard(void) { guard_armed = 0; }

/* Restores the terminal, lets the previous handler (Swift's crash reporter) run when asked
   to, then dies of the signal with the default action. The previous handler is called
   directly rather than by re-raising, because for a signal sent with kill() it returns and
   the process would carry on with curses gone. */
static void restore_and_reraise(int sig, siginfo_t *info, void *context) {
    sc_restore_terminal();
    if (original_stderr >= 0) dup2(original_stderr, STDERR_FILENO);
    int is_soft = sig == SIGINT || sig == SIGTERM || sig == SIGHUP;
    if (!is_soft) {
        static const char note[] = "swiftcoder crashed; the terminal was restored. "
            "Set SWIFT_BACKTRACE=enable=yes,interactive=no for a backtrace.\n";
        if (!chain_crash_reporter) sc_write_all(STDERR_FILENO, note, sizeof(note) - 1);
    }
    /* The crash reporter would otherwise wait for a key on the terminal. */
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) { dup2(devnull, STDIN_FILENO); close(devnull); }
    if (sig > 0 && sig < NSIG_SLOTS && (chain_crash_reporter || is_soft)) {
        struct sigaction *prior = &previous[sig];
        if (prior->sa_flags & SA_SIGINFO) {
            if (prior->sa_sigaction) prior->sa_sigaction(sig, info, context);
        } else if (prior->sa_handler != SIG_DFL && prior->sa_handler != SIG_IGN && prior->sa_handler) {
            prior->sa_handler(sig);
        }
    }
    signal(sig, SIG_DFL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, sig);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
    raise(sig);
    _exit(128 + sig);
}

static void guard_handler(int sig, siginfo_t *info, void *context) {
    if (graceful && guard_armed && (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)) {
        pending_signal = sig;
        sc_wake_input();
        return;
    }
    restore_and_reraise(sig, info, context);
}

void sc_install_terminal_guard(int chain_crash_handlers) {
    chain_crash_reporter = chain_crash_handlers;
    /* Every thread has one already (signal_stack.c); this one is a no-op unless the
       constructor could not map it. SA_ONSTACK below runs the handlers there. */
    sc_install_signal_stack();
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) have_termios = 1;
    guard_armed = 1;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_sigaction = guard_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
        sigaction(fatal_signals[i], &action, &previous[fatal_signals[i]]);
    for (size_t i = 0; i < sizeof(soft_signals) / sizeof(soft_signals[0]); i++)
        sigaction(soft_signals[i], &action, &previous[soft_signals[i]]);
    /* A parent may have started us with these blocked (children inherit the mask): the
       guard and resize handling only work if they can be delivered. */
    sigset_t handled;
    sigemptyset(&handled);
    for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++) sigaddset(&handled, fatal_signals[i]);
    for (size_t i = 0; i < sizeof(soft_signals) / sizeof(soft_signals[0]); i++) sigaddset(&handled, soft_signals[i]);
    sigaddset(&handled, SIGWINCH);
    pthread_sigmask(SIG_UNBLOCK, &handled, NULL);
}

int sc_take_pending_signal(void) {
    int sig = pending_signal;
    pending_signal = 0;
    return sig;
}

void sc_set_graceful_signals(int enabled) { graceful = enabled ? 1 : 0; }

/* ---- wake pipe + SIGWINCH --------------------------------------------------- */
static struct sigaction previous_winch;

int sc_wake_pipe_setup(void) {
    if (wake_pipe[0] >= 0) return wake_pipe[0];
    if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
    return wake_pipe[0];
}

void sc_wake_input(void) {
    if (wake_pipe[1] < 0) return;
    int saved_errno = errno;
    char byte = 1;
    ssize_t ignored = write(wake_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved_errno;
}

void sc_wake_pipe_drain(void) {
    if (wake_pipe[0] < 0) return;
    char buffer[64];
    while (read(wake_pipe[0], buffer, sizeof(buffer)) > 0) {}
}

static void winch_handler(int sig) {
    if (previous_winch.sa_flags & SA_SIGINFO) {
        /* ncurses installs a plain handler; SA_SIGINFO handlers are not chained here. */
    } else if (previous_winch.sa_handler != SIG_DFL && previous_winch.sa_handler != SIG_IGN
               && previous_winch.sa_handler != NULL) {
        previous_winch.sa_handler(sig);
    }
    sc_wake_input();
}

void sc_install_winch_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = winch_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &action, &previous_winch);
}

/* Readable with nothing to read: end of input. Only a terminal (FIONREAD works) can say
   so; for anything else readable is taken at its word. */
static int readable_but_empty(void) {
    int queued = 0;
    return ioctl(STDIN_FILENO, FIONREAD, &queued) == 0 && queued == 0;
}

int sc_wait_input(int timeout_ms) {
    struct pollfd fds[2];
    fds[0].fd = STDIN_FILENO; fds[0].events = POLLIN; fds[0].revents = 0;
    fds[1].fd = wake_pipe[0]; fds[1].events = POLLIN; fds[1].revents = 0;
    int n = poll(fds, wake_pipe[0] >= 0 ? 2 : 1, timeout_ms);
    if (n < 0) return errno == EINTR ? 2 : -1;
    int result = 0;
    if (fds[0].revents & POLLIN) result |= readable_but_empty() ? 8 : 1;
    if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) result |= 4;
    if (wake_pipe[0] >= 0 && (fds[1].revents & POLLIN)) result |= 2;
    /* A broken wake pipe would report the same error on every call: a busy loop. */
    if (wake_pipe[0] >= 0 && (fds[1].revents & (POLLERR | POLLNVAL))) result |= 16;
    return result;
}

/* ---- stderr ----------------------------------------------------------------- */
int sc_redirect_stderr(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    if (original_stderr < 0) original_stderr = dup(STDERR_FILENO);
    int rc = dup2(fd, STDERR_FILENO);
    close(fd);
    return rc < 0 ? -1 : 0;
}

int sc_stderr_fd(void) { return STDERR_FILENO; }

void sc_restore_stderr(void) {
    if (original_stderr < 0) return;
    dup2(original_stderr, STDERR_FILENO);
}
