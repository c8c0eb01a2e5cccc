#ifndef NNTOP_CNCURSES_SHIM_H
#define NNTOP_CNCURSES_SHIM_H
/* SwiftPM drops the -D_XOPEN_SOURCE that pkg-config prints, so ask for the wide API here. */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>
#include <signal.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

/* Globals Swift 6 flags as not concurrency-safe, read through functions instead. */
static inline WINDOW *nntop_stdscr(void) { return stdscr; }
static inline int nntop_lines(void) { return LINES; }
static inline int nntop_cols(void) { return COLS; }
static inline int nntop_colors(void) { return COLORS; }
static inline int nntop_color_pairs(void) { return COLOR_PAIRS; }
static inline int nntop_key_f(int n) { return KEY_F(n); }
static inline attr_t nntop_attr_bold(void) { return A_BOLD; }
static inline attr_t nntop_attr_reverse(void) { return A_REVERSE; }
static inline attr_t nntop_attr_dim(void) { return A_DIM; }
static inline attr_t nntop_attr_underline(void) { return A_UNDERLINE; }

/* Whether terminfo knows $TERM, asked without ncurses printing its own error and exiting:
   2 when it does, otherwise setupterm's errret (1 hardcopy, 0 unknown, -1 no database). */
static inline int nntop_terminal_known(const char *term) {
  int status = 0;
  if (setupterm(term, STDOUT_FILENO, &status) != OK) return status;
  del_curterm(cur_term);
  return 2;
}

/* Restoring the terminal when the process dies of a fault (a trap, an allocation failure's
   abort): only async-signal-safe calls (tcsetattr, write, sigaction, raise). The handler puts the
   saved terminal modes back, leaves the alternate screen, shows the cursor, reinstalls whatever
   handler was there before (the Swift runtime's backtracer, or the default), so a crash is
   reported as before, on a usable terminal. */

static const int nntop_fatal_signals[] = {SIGSEGV, SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGTRAP};
#define NNTOP_FATAL_COUNT (sizeof nntop_fatal_signals / sizeof nntop_fatal_signals[0])
/* State kept in function-local statics: the header's file-scope statics are not emitted. */
struct nntop_crash_state {
  struct termios modes;
  int have_modes;
  struct sigaction previous[NNTOP_FATAL_COUNT];
};
static inline struct nntop_crash_state *nntop_crash(void) {
  static struct nntop_crash_state state;
  return &state;
}

static inline void nntop_restore_terminal(void) {
  static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
  if (nntop_crash()->have_modes) tcsetattr(STDIN_FILENO, TCSANOW, &nntop_crash()->modes);
  ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
  (void)ignored;
}

static inline void nntop_fatal_handler(int number, siginfo_t *info, void *context) {
  (void)context;
  nntop_restore_terminal();
  for (unsigned i = 0; i < NNTOP_FATAL_COUNT; i++) {
    if (nntop_fatal_signals[i] == number) sigaction(number, &nntop_crash()->previous[i], NULL);
  }
  /* A real fault (sent by the kernel: a trap, a bad address) happens again on return and now
     reaches the previous handler with its true context, which reports it and ends the process.
     A signal sent by kill or abort() ends the process with its default action (the runtime's
     handler was seen to resume the process after such a signal, curses still running). */
  if (info != NULL && info->si_code > 0) return;
  signal(number, SIG_DFL);
  sigset_t just;
  sigemptyset(&just);
  sigaddset(&just, number);
  sigprocmask(SIG_UNBLOCK, &just, NULL);
  raise(number);
}

/* Called before curses takes the terminal: saves its modes and installs the handler. */
static inline void nntop_install_crash_restore(void) {
  nntop_crash()->have_modes = tcgetattr(STDIN_FILENO, &nntop_crash()->modes) == 0;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = nntop_fatal_handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_ONSTACK | SA_SIGINFO;
  for (unsigned i = 0; i < NNTOP_FATAL_COUNT; i++) {
    sigaction(nntop_fatal_signals[i], &action, &nntop_crash()->previous[i]);
  }
}

/* Called once curses has given the terminal back: the previous handlers return. */
static inline void nntop_remove_crash_restore(void) {
  for (unsigned i = 0; i < NNTOP_FATAL_COUNT; i++) {
    sigaction(nntop_fatal_signals[i], &nntop_crash()->previous[i], NULL);
  }
}
#endif
