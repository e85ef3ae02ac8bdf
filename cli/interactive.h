#ifndef CLI_INTERACTIVE_H
#define CLI_INTERACTIVE_H

#include "cli/cli.h"

/* An smpctl> prompt with readline history and tab completion of commands;
 * each line runs as a command over one connection. Returns at EOF or
 * "quit" with the last command's exit code. */
int cli_interactive(struct cli_ctx *ctx);

/* Splits a command line into words, honouring '' and "" quotes and
 * backslashes. Returns the word count, or -1 on an unterminated quote
 * (or more than max words). The words point into line, which is changed. */
int cli_split_line(char *line, char **words, int max);

#endif
