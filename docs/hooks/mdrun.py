"""Run the code in areo's Markdown (README.md, docs/*.md) as the reader would.

One runner serves the documentation build (``docs/hooks/build.py``: every page's examples run
and write their figures into the site) and the test suite
(``tests/docs/test_markdown_examples.py``: README.md and every page, outputs checked).

What runs, in the order of the page:

- ```` ```python ```` blocks: one namespace per page (a page reads as one session), in a
  working directory of the caller's choice, so ``fig.plot("porkchop.html")`` writes there.
- ```` ```sh ```` / ```` ```bash ```` blocks: the block is one bash script (``set -e``), the
  virtual environment's ``bin`` first on ``PATH``.
- ```` ```console ```` blocks: each ``$ command`` (with ``\\`` continuation lines) runs in
  bash; the lines that follow it, up to the next ``$``, are its expected output.
- ```` ```text ```` blocks preceded by ``<!-- run: output -->`` are the expected standard output
  of the Python block before them.

Expected output is compared as doctest does with ELLIPSIS and NORMALIZE_WHITESPACE: a ``...``
stands for any text (a row left out, a value that changes with the clock).

A directive, an HTML comment on the line before a fence, changes how the block runs:

- ``<!-- run: skip: WHY -->``: not run (the reason is required; e.g. the test suite itself).
- ``<!-- run: instead: COMMAND # WHY -->``: a shell block that is slow; the tests run
  COMMAND, a cheaper command of the same kind, in its place (``$REPO`` is the checkout);
  the reason is a bash comment. The build never runs shell blocks marked so either.
- ``<!-- run: test: OLD -> NEW; WHY -->``: in the tests (``fast=True``), the text OLD in the
  block is replaced by NEW (a smaller span) before it runs; the build runs the block as shown.
  Several ``OLD -> NEW`` pairs are separated by `` | ``.
- ``<!-- run: output -->`` on a ``text`` block: the expected output, as above.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUN_LANGS = {"python", "py", "sh", "bash", "console", "shell"}
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)[^\n]*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*run:\s*(?P<body>.*?)\s*-->\s*$")
_CHECK = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class ExampleError(AssertionError):
    """An example in a Markdown file failed or printed something else than shown."""


@dataclass
class Block:
    """One fenced code block, where it is, and its directive (``kind``, ``arg``)."""

    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    kind: str = ""  # "", "skip", "instead", "test", "output"
    arg: str = ""
    expected: str | None = None  # for python: the output block that follows

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


def parse(path: Path) -> list[Block]:
    """The fenced blocks of ``path`` in order, each with its directive."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group("fence"), m.group("lang").lower()
        start, body = i, []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(m.group("indent")) :])
            i += 1
        i += 1
        kind = arg = ""
        d = _DIRECTIVE.match(lines[start - 1]) if start else None
        if d:
            kind, _, arg = d.group("body").partition(":")
            kind, arg = kind.strip(), arg.strip()
            if kind not in ("skip", "instead", "test", "output"):
                raise ExampleError(f"{path.name}:{start + 1}: unknown run directive {kind!r}")
            if (kind in ("skip", "test") and not arg) or (kind == "instead" and " # " not in arg):
                raise ExampleError(f"{path.name}:{start + 1}: 'run: {kind}' needs its reason")
        block = Block(Path(path), start + 1, lang, "\n".join(body) + "\n", kind, arg)
        if kind == "output":
            prev = next((b for b in reversed(blocks) if b.lang in ("python", "py")), None)
            if prev is None:
                raise ExampleError(f"{block.where}: an output block with no Python block before")
            prev.expected = block.code
        blocks.append(block)
    return blocks


def check_output(where: str, expected: str, got: str) -> None:
    """Raise :class:`ExampleError` unless ``got`` matches ``expected`` (ELLIPSIS, whitespace)."""
    if not _CHECK.check_output(expected.strip() + "\n", got.strip() + "\n", _FLAGS):
        raise ExampleError(
            f"{where}: the output differs from the page\n--- expected\n"
            f"{expected.rstrip()}\n--- got\n{got.rstrip()}"
        )


def _substitute(block: Block) -> str:
    spec = block.arg.partition(";")[0]
    code = block.code
    for pair in spec.split(" | "):
        old, sep, new = pair.partition(" -> ")
        if not sep or old.strip() not in code:
            raise ExampleError(f"{block.where}: 'run: test' text {old.strip()!r} not in the block")
        code = code.replace(old.strip(), new.strip())
    return code


def _console_commands(code: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block."""
    out: list[tuple[str, list[str]]] = []
    lines = code.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            cmd = [line[2:]]
            while cmd[-1].rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd.append(lines[i])
            out.append(("\n".join(cmd), []))
        elif out:
            out[-1][1].append(line)
        i += 1
    return [(c, "\n".join(e)) for c, e in out]


@dataclass
class Runner:
    """Runs the blocks of one file in ``cwd``; ``fast`` applies the ``test`` directives."""

    cwd: Path
    fast: bool = True
    env: dict[str, str] = field(default_factory=dict)
    timeout_s: float = 300.0
    ran: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per block, for the slow ones

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env.setdefault("MPLBACKEND", "Agg")
        env["COLUMNS"] = "200"  # rich tables as wide as the page shows them
        env["TERM"] = "dumb"
        env["REPO"] = str(REPO)  # for directives that need the checkout (make, examples/)
        env.update(self.env)
        return env

    def _in_process(self, script: str) -> list[tuple[list[str], str | None]] | None:
        """The ``areo`` commands of ``script`` (each with the file its output is redirected to
        by a final ``> FILE``, else None) when it is nothing else (no pipes, other redirects,
        variables): they then run in this process, which saves the interpreter's start and
        areo's import for each (about 2 s a command)."""
        text = script.replace("\\\n", " ")
        commands: list[list[str]] = [[]]
        try:
            for line in text.splitlines():
                for tok in shlex.split(line, comments=True):
                    if tok == ";":
                        commands.append([])
                    else:
                        commands[-1].append(tok)
                commands.append([])
        except ValueError:
            return None
        out: list[tuple[list[str], str | None]] = []
        for argv in (c for c in commands if c):
            target = None
            if len(argv) > 2 and argv[-2] == ">":
                argv, target = argv[:-2], argv[-1]
            if argv[0] != "areo" or any(set(t) & set("|&<>$`*?") for t in [*argv, target or ""]):
                return None
            out.append((argv, target))
        return out or None

    def _run_areo(self, argv: list[str]) -> tuple[int, str, str]:
        from areo.cli import _app, main

        out, err = io.StringIO(), io.StringIO()
        old, old_env = Path.cwd(), dict(os.environ)
        _app.out.width = 140  # as in a pipe, whatever the test's terminal
        os.chdir(self.cwd)
        os.environ.update({k: v for k, v in self._env().items() if k != "PATH"})
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main(argv[1:])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            os.chdir(old)
            os.environ.clear()
            os.environ.update(old_env)
        return code, out.getvalue(), err.getvalue()

    def shell(self, where: str, script: str, expected: str | None = None) -> str:
        commands = self._in_process(script)
        if commands is not None:
            stdout = ""
            for argv, target in commands:
                code, o, e = self._run_areo(argv)
                if target is None:
                    stdout += o
                else:
                    (self.cwd / target).write_text(o, encoding="utf-8")
                if code != 0:
                    raise ExampleError(
                        f"{where}: exit {code}\n$ {shlex.join(argv)}\n{o[-3000:]}{e[-3000:]}"
                    )
            if expected is not None and expected.strip():
                check_output(where, expected, stdout)
            self.ran.append(f"{where} $ {script.splitlines()[0]}")
            return stdout
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=self.cwd,
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=self.timeout_s,
        )
        if proc.returncode != 0:
            raise ExampleError(
                f"{where}: exit {proc.returncode}\n$ {script}\n"
                f"{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
            )
        if expected is not None and expected.strip():
            check_output(where, expected, proc.stdout)
        self.ran.append(f"{where} $ {script.splitlines()[0]}")
        return proc.stdout

    def python(self, where: str, code: str, ns: dict, expected: str | None) -> None:
        buf = io.StringIO()
        old = Path.cwd()
        os.chdir(self.cwd)
        try:
            with contextlib.redirect_stdout(buf):
                exec(compile(code, where, "exec"), ns)  # the page's own example
        except Exception as exc:
            raise ExampleError(f"{where}: {type(exc).__name__}: {exc}\n{code}") from exc
        finally:
            os.chdir(old)
        if expected is not None:
            check_output(where, expected, buf.getvalue())
        self.ran.append(f"{where} python")

    def run_file(self, path: Path, *, shell: bool = True) -> list[str]:
        """Run every block of ``path``; return one line per block run."""
        self.cwd.mkdir(parents=True, exist_ok=True)
        ns: dict = {"__name__": "__main__"}
        for b in parse(path):
            if b.lang not in RUN_LANGS or b.kind in ("skip", "output"):
                continue
            t0 = time.perf_counter()
            code = _substitute(b) if (b.kind == "test" and self.fast) else b.code
            if b.lang in ("python", "py"):
                self.python(b.where, code, ns, b.expected)
            elif not shell:
                continue
            elif b.kind == "instead":
                if self.fast:
                    self.shell(b.where, b.arg)  # the reason is a bash comment
            elif b.lang == "console":
                for cmd, expected in _console_commands(code):
                    self.shell(b.where, cmd, expected)
            else:
                self.shell(b.where, code)
            self.seconds[b.where] = time.perf_counter() - t0
        return self.ran
