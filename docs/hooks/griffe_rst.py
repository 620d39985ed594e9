"""A griffe extension for the API reference (mkdocs.yml, mkdocstrings ``extensions``).

areo's docstrings are written for ``help()`` and Sphinx-style readers: reST roles
(``:func:`~areo.x.f```), double-backtick literals and doctest examples (``>>>``). Markdown
shows those raw, so before rendering each docstring is rewritten: a role becomes inline code
(the last dotted part when the target starts with ``~``), a double-backtick literal single
backticks, and a doctest example a ``pycon`` code block. The source is not touched.
"""

from __future__ import annotations

import re

import griffe

_ROLE = re.compile(r":(?:py:)?[a-z]+:`(~?)([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def _role(m: re.Match) -> str:
    target = m.group(2).split("<")[-1].rstrip(">").strip()  # `text <target>` -> target
    return f"`{target.split('.')[-1] if m.group(1) else target}`"


def _doctests(text: str) -> str:
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.lstrip().startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = len(line) - len(line.lstrip())
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i][indent:] if len(lines[i]) >= indent else lines[i].lstrip())
            i += 1
        out.extend(["", "```pycon", *block, "```", ""])
    return "\n".join(out)


def to_markdown(text: str) -> str:
    """``text`` (a docstring) with reST roles, literals and doctests as Markdown."""
    text = _doctests(text)
    parts = re.split(r"(```pycon\n.*?\n```)", text, flags=re.S)  # leave examples verbatim
    for k in range(0, len(parts), 2):
        parts[k] = _LITERAL.sub(r"`\1`", _ROLE.sub(_role, parts[k]))
    return "".join(parts)


class RstToMarkdown(griffe.Extension):
    """Rewrite every docstring griffe loads (see the module doc)."""

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
