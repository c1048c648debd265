"""The one scanner of documented rules: reads every reference in `docs/reference/*.md` and the
numbered lists under its "Rules a faithful fake (or engine) must enforce" headings, and resolves
what a test's `@pytest.mark.rule(reference, rule)` names.

How a rule is addressed, `rule(<reference>, <id>)`, where `<reference>` is the file's name
without `.md`:

- a reference with one rules section numbers its rules: `rule("cronofy", 33)` (an int or "33");
- rules that carry their own bold id are addressed by it: `rule("scheduling", "S-C12")`;
- a reference with one rules section per provider (`webhooks.md`: §1.7 Cronofy, §2.8 Cal.com,
  §3.5 Truto) is addressed by the section's provider and the number, `rule("webhooks",
  "cronofy-3")`; the section number works too (`"1.7.3"`) and means the same rule.

A test may carry several rule marks, and one mark may name several rules of one reference:
`rule("truto", 9, 11)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
RULES_HEADING = re.compile(r"rules a faithful .* must enforce", re.IGNORECASE)
ITEM = re.compile(r"^(\d+)\.\s+(.*)$")
OWN_ID = re.compile(r"^\*\*([A-Za-z][A-Za-z0-9]*-[A-Za-z]+\d+)\*\*\s*")
SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s")
SECTION_TAG = re.compile(r"\(([^()]+)\)\s*$")


@dataclass(frozen=True)
class Rule:
    reference: str  # the file's name without .md
    id: str  # "33", "S-C12", "cronofy-3"
    text: str  # the rule's statement, its lines joined
    section: str  # the heading it sits under
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.reference}:{self.id}"

    def title(self, width: int = 110) -> str:
        """The statement shortened to `width` characters, markup kept."""
        text = self.text
        return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass
class Reference:
    name: str
    path: Path
    rules: dict[str, Rule] = field(default_factory=dict)  # id -> rule, in document order
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> id

    def lookup(self, rule: object) -> Rule | None:
        text = str(rule).strip()
        return self.rules.get(text) or self.rules.get(self.aliases.get(text, ""))


class ReferenceError(ValueError):
    """A reference whose rules cannot be read unambiguously (duplicate ids)."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def parse(path: Path) -> Reference:
    """Every rule of one reference file."""
    ref = Reference(path.stem, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    sections: list[tuple[str, int, list[str | None]]] = []  # (heading, level, lines)
    current: tuple[str, int, list[str | None]] | None = None
    for line in lines:
        heading = HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if current is not None and level <= current[1]:
                current = None
            if current is None and RULES_HEADING.search(heading.group(2)):
                current = (heading.group(2), level, [])
                sections.append(current)
            elif current is not None:
                current[2].append(None)  # a sub-heading ends the item before it
            continue
        if current is not None:
            current[2].append(line)
    several = len(sections) > 1
    for heading, _, body in sections:
        items: list[tuple[str, list[str]]] = []
        open_item = False
        for line in body:
            item = ITEM.match(line or "")
            if line is None:
                open_item = False
            elif item:
                items.append((item.group(1), [item.group(2).strip()]))
                open_item = True
            elif not line.strip():
                continue  # a blank line keeps the item open for an indented continuation
            elif line[:1].isspace():
                if open_item:
                    items[-1][1].append(line.strip())
            else:
                open_item = False  # a paragraph at the margin ends the item
        tag = SECTION_TAG.search(heading)
        number = SECTION_NUMBER.match(heading)
        for n, parts in items:
            text = " ".join(parts)
            own = OWN_ID.match(text)
            aliases: tuple[str, ...] = ()
            if own:
                rule_id, text = own.group(1), text[own.end() :]
            elif several:
                if tag is None:
                    raise ReferenceError(f"{path.name}: section {heading!r} names no provider")
                rule_id = f"{_slug(tag.group(1))}-{n}"
                aliases = (f"{number.group(1)}.{n}",) if number else ()
            else:
                rule_id = n
            if rule_id in ref.rules:
                raise ReferenceError(f"{path.name}: rule {rule_id} appears twice")
            ref.rules[rule_id] = Rule(ref.name, rule_id, text, heading, aliases)
            for alias in aliases:
                ref.aliases[alias] = rule_id
    return ref


def load(directory: Path) -> dict[str, Reference]:
    """Every reference in `directory` (`*.md`) that has rules, by name."""
    refs = {}
    for path in sorted(directory.glob("*.md")):
        ref = parse(path)
        if ref.rules:
            refs[ref.name] = ref
    return refs


def resolve(
    references: dict[str, Reference], marks: Iterable[tuple[tuple, dict]]
) -> tuple[list[str], list[str]]:
    """The rule keys (`cronofy:33`) that rule marks name, and a problem for each mark that names
    no reference or no rule. `marks` are each mark's (args, kwargs)."""
    keys: list[str] = []
    problems: list[str] = []
    for args, kwargs in marks:
        if kwargs or len(args) < 2 or not isinstance(args[0], str):
            problems.append(f"rule{args!r}: use @pytest.mark.rule('<reference>', <rule>, ...)")
            continue
        name, *ids = args
        ref = references.get(name)
        if ref is None:
            known = ", ".join(sorted(references))
            problems.append(f"rule({name!r}, ...): no reference {name!r} (known: {known})")
            continue
        for rule_id in ids:
            found = ref.lookup(rule_id)
            if found is None:
                problems.append(
                    f"rule({name!r}, {rule_id!r}): docs/reference/{name}.md has no such rule"
                )
            elif found.key not in keys:
                keys.append(found.key)
    order = {
        r.key: (name, i)
        for name, ref in references.items()
        for i, r in enumerate(ref.rules.values())
    }
    return sorted(keys, key=order.__getitem__), problems


NAMED = re.compile(r"^test_rule_(\d+)_")


def named_rule(test_name: str) -> str | None:
    """The rule number a `test_rule_<N>_...` function name claims, if any."""
    match = NAMED.match(test_name)
    return match.group(1) if match else None
