"""The command line's parser: argparse reads the words, this module judges them and says why.

The contract, for :mod:`.app` (which defines the commands on it):

* **argparse only tokenises.** A :class:`Parser` is an :class:`argparse.ArgumentParser` that is
  never told what would make argparse report a mistake itself: the fixed values of an argument
  (``choices``) and the arguments that must be given (``required``, a positional). It keeps its
  own record of every argument as it is added instead; argparse's list is private.
* **This module judges the command line and words every message itself.** :func:`parse` checks
  what argparse read against that record and raises :class:`UsageError`, one line naming the
  mistake and, through :func:`hint`, the nearest valid value. No message is taken from
  argparse, whose wording changes with the Python version and, through gettext, the locale.
  ``--help`` and ``--version`` still end in :exc:`SystemExit`, as argparse has them.
* **No argparse private names:** neither ``argparse._X`` nor a private attribute of its objects
  (``_actions``, ``_subparsers``...). ``tests/test_cli_messages.py`` checks this file's source.

It imports nothing heavier than argparse, :mod:`re` and :mod:`fm_papers.errors` (difflib), so
``fm-papers --version`` stays quick.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any, NoReturn

from ..errors import LISTED, hint

__all__ = ["Group", "Parser", "UsageError", "hint", "parse", "short_list"]
# ``hint`` is the package's one wording of a mistake's suggestion (fm_papers.errors).

#: How help and argparse name the command argument.
_COMMAND = "COMMAND"


class UsageError(Exception):
    """A command line argparse (or we) cannot accept; printed as one line, exit 2."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class Parser(argparse.ArgumentParser):
    """An argparse parser that only reads the command line; judging it is left to :func:`parse`.

    argparse words its errors in English or through gettext, and the wording changes between
    Python versions, so no message of ours may come from it. The parser therefore keeps its own
    record of every argument as it is added (argparse's list is private), and argparse is never
    told about fixed values (``choices``) or needed arguments (``required``, a positional): it
    would report them itself. What argparse still reports, an option without its value or a
    flag given one, it raises as :class:`argparse.ArgumentError` (``exit_on_error=False``),
    which names the argument; :func:`_misread` words the message from that argument.
    """

    def __init__(self, **kwargs: Any) -> None:
        #: Every argument, in the order added: the names a suggestion can offer.
        self.arguments: list[argparse.Action] = []
        #: The arguments that must be given; argparse is told they are optional.
        self.needed: list[argparse.Action] = []
        #: The values of the arguments that accept a fixed set.
        self.fixed: dict[argparse.Action, tuple[str, ...]] = {}
        #: The commands, by name (on the top-level parser).
        self.commands: dict[str, Parser] = {}
        #: Makes a command's parser, once the first command is added.
        self.new_command: Callable[..., Parser] | None = None
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(**kwargs, add_help=False, allow_abbrev=False, exit_on_error=False)
        self.add_argument("-h", "--help", action="help", help="show this help message and exit")

    def add_argument(self, *flags: str, **kwargs: Any) -> argparse.Action:
        return self.record(super().add_argument, flags, kwargs)

    def add_group(self, title: str) -> Group:
        """An argument group whose arguments this parser records."""
        return Group(self, title)

    def add_command(self, name: str, **kwargs: Any) -> Parser:
        """A command: a parser of its own, named by the first word that is not an option.

        The name given is read into ``args.command`` (``None`` without one); ``kwargs`` are
        argparse's (``help``, ``description``, ``epilog``).
        """
        if self.new_command is None:
            commands = self.add_subparsers(dest="command", metavar=_COMMAND, parser_class=Parser)
            self.new_command = commands.add_parser
        sub = self.new_command(name, **kwargs)
        self.commands[name] = sub
        return sub

    def record(
        self,
        add: Callable[..., argparse.Action],
        flags: Sequence[str],
        kwargs: dict[str, Any],
    ) -> argparse.Action:
        """Add an argument with ``add``, keeping ``choices`` and ``required`` for ourselves."""
        choices = kwargs.pop("choices", None)
        required = kwargs.pop("required", False)
        action = add(*flags, **kwargs)
        self.arguments.append(action)
        if choices is not None:
            self.fixed[action] = tuple(choices)
        # argparse marks a positional required itself; that is ours to report, too.
        if required or action.required:
            action.required = False
            self.needed.append(action)
        return action

    def format_usage(self) -> str:
        return self.documented(super().format_usage)

    def format_help(self) -> str:
        return self.documented(super().format_help)

    def documented(self, text: Callable[[], str]) -> str:
        """``text()`` with the needed options shown as required, as the reader must see them."""
        for action in self.needed:
            action.required = True
        try:
            return text()
        finally:
            for action in self.needed:
                action.required = False

    def error(self, message: str) -> NoReturn:
        # argparse calls this only for what this parser never sets up (required arguments,
        # exclusive groups, abbreviations): kept as one line rather than its usage and exit.
        raise UsageError(self.prog, message)


class Group:
    """An argument group of a :class:`Parser`, which records the arguments added to it."""

    def __init__(self, parser: Parser, title: str) -> None:
        self.parser = parser
        self.group = parser.add_argument_group(title)

    def add_argument(self, *flags: str, **kwargs: Any) -> argparse.Action:
        return self.parser.record(self.group.add_argument, flags, kwargs)


def short_list(valid: Sequence[str]) -> str:
    """``; valid values: a, b, c``, as :func:`fm_papers.errors.hint` lists them, when there
    are few enough for one line."""
    return hint("", valid) if valid and len(valid) <= LISTED else ""


def parse(
    parser: Parser, argv: Sequence[str], dash_values: Collection[str] = ()
) -> argparse.Namespace:
    """Parse, then judge: every mistake is one line in our words, with the nearest valid value.

    :param parser: the top-level parser; its commands are found in :attr:`Parser.commands`.
    :param argv: the words of the command line, after the program's name.
    :param dash_values: the options whose value may begin with ``-`` (``--sort -year``).
    :raises UsageError: for an unknown command or option, a value outside a fixed set, an
        option without its value (or a flag with one), a missing or an extra argument.

    ``--`` ends the options, as in POSIX tools: every word after it is an argument, and one
    with nothing after it changes nothing.
    """
    words = _prepare(parser, argv, dash_values)
    try:
        args, extras = parser.parse_known_args(words)
    except argparse.ArgumentError as error:
        raise _misread(parser, words, error) from None
    target, own = parser, words
    if args.command is not None:
        # A word before the command is an option of the top level: one it does not know, as
        # argparse reads no other, and left over before the command's.
        at = words.index(args.command)
        target, own = (parser, words[:at]) if at else (parser.commands[args.command], words[1:])
    message = _mistake(target, args, own, extras)
    if message:
        raise UsageError(target.prog, message)
    return args


def _prepare(parser: Parser, argv: Sequence[str], dash_values: Collection[str]) -> list[str]:
    """The words argparse is given: ``--`` before a command dropped (Python 3.11 would read
    it as the command), and the command's options with a ``-`` value joined to it."""
    at = _command_at(argv)
    command = parser.commands.get(argv[at]) if at is not None else None
    if at is None or command is None:
        return list(argv)
    before = [*argv[: at - 1]] if argv[at - 1 : at] == ["--"] else [*argv[:at]]
    rest = _attach_dash_values(argv[at + 1 :], dash_values, _options(command))
    return [*before, argv[at], *rest]


def _attach_dash_values(
    words: Sequence[str], value_flags: Collection[str], options: Collection[str]
) -> list[str]:
    """``--sort -year`` as ``--sort=-year``: argparse would read ``-year`` as an option.

    A word that is one of the command's ``options`` (``-f``, ``-f=json``) is not a value: the
    option before it has none. Nor is any word after ``--``, which ends the options.
    """
    out: list[str] = []
    pending: str | None = None
    for index, word in enumerate(words):
        if word == "--":
            return [*out, *words[index:]]
        if pending is not None:
            dash = word.startswith("-") and not word.startswith("--")
            if dash and not _is_option(word, options):
                out[-1] = f"{pending}={word}"
                pending = None
                continue
            pending = None
        out.append(word)
        if word in value_flags:
            pending = word
    return out


def _mistake(
    parser: Parser, args: argparse.Namespace, words: Sequence[str], extras: Sequence[str]
) -> str | None:
    """What is wrong with a command line that argparse has read, or None.

    :param words: the words ``parser`` read (a command's, after the command word).
    :param extras: the words argparse left over, the first of them ``parser``'s.
    """
    word, argument = _left_over(parser, words, extras)
    if word is not None:
        if argument or not _looks_like_option(word):
            return f"unexpected argument {word!r}"
        flag = word.split("=", 1)[0]
        return f"unknown option {flag!r}{hint(flag, _options(parser))}"
    missing = [_name(action) for action in parser.needed if getattr(args, action.dest) is None]
    if missing:
        return f"the following arguments are required: {', '.join(missing)}"
    for action, valid in parser.fixed.items():
        value = getattr(args, action.dest)
        if value is not None and value not in valid:
            return f"{_long(action)}: unknown value {value!r}{hint(value, valid)}"
    return None


def _left_over(
    parser: Parser, words: Sequence[str], extras: Sequence[str]
) -> tuple[str | None, bool]:
    """The first word argparse left over, and whether it stands after ``--`` (an argument,
    whatever it looks like); ``None`` if only ``--`` itself was left.

    argparse leaves over, last, the words after the arguments it took: ``--`` and all after it
    unless an argument took ``--``. Before ``--`` it leaves only the options it does not know,
    and the arguments no positional took.
    """
    if not extras:
        return None, False
    end = words.index("--") if "--" in words else len(words)
    after = [*words[end + 1 :]]
    cut = len(extras) - len(after) - 1
    if end < len(words) and cut >= 0 and [*extras[cut:]] == ["--", *after]:
        if cut:
            return extras[0], False
        return (after[0], True) if after else (None, False)
    # An argument took ``--``: the first word left over stands after it, unless it is an
    # option before it (there argparse leaves over only the options the parser does not know).
    word = extras[0]
    return word, word not in words[:end] or _is_option(word, _options(parser))


def _is_option(word: str, options: Collection[str]) -> bool:
    """Whether argparse reads ``word`` as one of ``options``: ``-f``, ``--format=json``."""
    return word.split("=", 1)[0] in options


def _misread(parser: Parser, words: Sequence[str], error: argparse.ArgumentError) -> UsageError:
    """The message for what argparse could not read, told by the argument it names.

    argparse raises this for the command (a word that is none) and for an option that takes a
    value but has none, or that takes none but was given one (``--check=yes``).
    """
    if error.argument_name == _COMMAND:
        at = _command_at(words)
        if at is not None:
            word = words[at]
            near = hint(word, [*parser.commands])
            return UsageError(parser.prog, f"unknown command {word!r}{near}")
    # The command was read, so it is the first word naming one: the top level's options take
    # no values that could.
    command = next((parser.commands[word] for word in words if word in parser.commands), None)
    for target in (command, parser) if command else (parser,):
        for action in (action for action in target.arguments if action.option_strings):
            if error.argument_name in (_name(action), *action.option_strings):
                return UsageError(target.prog, _value_message(target, action))
    # Nothing this parser sets up fails otherwise; should a later argparse, say it as it does.
    return UsageError((command or parser).prog, str(error))


def _value_message(parser: Parser, action: argparse.Action) -> str:
    """What is wrong with an option argparse could not read: its value is missing, or it takes
    none (the only failures left to argparse for an option without ``type`` or ``choices``)."""
    flag = _long(action)
    if action.nargs == 0:
        return f"{flag}: takes no value"
    also = short_list(parser.fixed.get(action) or ())
    return f"{flag}: expected a value ({flag} {action.metavar or action.dest.upper()}){also}"


def _command_at(words: Sequence[str]) -> int | None:
    """Where the command word is: the first word argparse reads as a value, as the top level's
    options take none; after ``--``, the word that follows it."""
    for index, word in enumerate(words):
        if word == "--":
            return index + 1 if index + 1 < len(words) else None
        if not _looks_like_option(word):
            return index
    return None


def _looks_like_option(word: str) -> bool:
    """Whether argparse reads a word as an option: ``-``, ``-1`` and ``'-a b'`` are values."""
    negative = re.fullmatch(r"-\d+|-\d*\.\d+", word)
    return word.startswith("-") and word != "-" and " " not in word and not negative


def _name(action: argparse.Action) -> str:
    """How an argument is named in a message: ``--format/-f``, ``ID``."""
    return "/".join(action.option_strings) or str(action.metavar or action.dest)


def _long(action: argparse.Action) -> str:
    """An option's longest spelling: ``--output`` for ``-o/--output``."""
    return max(action.option_strings, key=len)


def _options(parser: Parser) -> list[str]:
    """The option strings of a command (or of the top-level parser)."""
    return [option for action in parser.arguments for option in action.option_strings]
