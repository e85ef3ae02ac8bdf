#ifndef CLI_INTERACTIVE_H
#define CLI_INTERACTIVE_H

#include <stdio.h>

#include "cli/cli.h"

/* An smpctl> prompt with readline history and tab completion of commands;
 * each line runs as a command over one connection. Returns at EOF or
 * "quit" with the last command's exit code. */
int cli_interactive(struct cli_ctx *ctx);

/* Standard input not a terminal: each line a command, as in the shell;
 * blank lines and lines starting with # are skipped; quit or exit ends.
 * Stops at the first command that fails and returns its exit code (a
 * script that goes on after a failed upload would do harm). */
int cli_run_script(struct cli_ctx *ctx, FILE *in);

/* $XDG_STATE_HOME/smpctl/history, or ~/.local/state/smpctl/history. */
int cli_history_path(char *buf, size_t cap);

/* Splits a command line into words, honouring '' and "" quotes and
 * backslashes. Returns the word count, or -1 on an unterminated quote
 * (or more than max words). The words point into line, which is changed. */
int cli_split_line(char *line, char **words, int max);

#endif
