/* commands.h - the dctdiff subcommands.  Each takes the arguments from its
 * own name on (argv[0] is "upscale"), handles its own --help, and returns the
 * process exit status (see args.h).  main.c lists them, one line each. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

typedef struct {
    const char *name;
    const char *summary;   /* one line for `dctdiff --help` */
    int (*run)(int argc, char **argv);
} cli_command;

int cmd_upscale(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_edit(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_models(int argc, char **argv);

#endif
