"""How the US end-user lists print one party in one table cell, taken apart.

An Entity List cell reads, in its common shapes (`\\n` = `<br/>` in the eCFR XML):

    Positive Technologies, 8 Preobrzhenskaya Square, Moscow, Russia 107061.
    Aktsionernoe Obshchestvo Pozitiv Teknolodzhiz, a.k.a., the following two aliases:
    —JSC Positive Technologies; and\\n—Pozitiv Teknolodzhiz, AO.\\n \\n d. 23A pom. V kom, …
    Gaz-Oil, OOO (f.k.a., Zakrytoe Aktsionernoe Obshchestvo Gaz Oil), a.k.a., the following …
    Rosneft Trade Limited, f.k.a., TNK Trade Limited. Elenion Building 5 Themistokli Dervi, …

`split_entity` returns the name, aliases, former names and addresses. Where the name ends and
the address begins is not marked when there is no alias list: the first comma not followed by
a legal form (`Co., Ltd.`, `, AO`, `, Inc.`) ends the name. The derived copy of the list
(us-entity-list) is compared with this parse on import, name by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Legal forms and suffixes that may follow a comma inside a name ("Huawei Co., Ltd.",
# "Gazmash, AO", "Almaz-Antey …, JSC").
LEGAL_FORMS = frozenset(
    [
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "llc",
        "l.l.c",
        "llp",
        "lp",
        "plc",
        "co",
        "corp",
        "corporation",
        "company",
        "gmbh",
        "ag",
        "kg",
        "ohg",
        "sa",
        "s.a",
        "s.a.s",
        "sas",
        "sarl",
        "s.a.r.l",
        "s.l",
        "sl",
        "srl",
        "s.r.l",
        "s.p.a",
        "spa",
        "bv",
        "b.v",
        "nv",
        "n.v",
        "ab",
        "as",
        "a.s",
        "a/s",
        "oy",
        "oyj",
        "aps",
        "kft",
        "zrt",
        "nyrt",
        "sp",
        "d.o.o",
        "doo",
        "s.r.o",
        "sro",
        "a.d",
        "ad",
        "ead",
        "eood",
        "ood",
        "jsc",
        "cjsc",
        "ojsc",
        "pjsc",
        "ojsc",
        "ooo",
        "oao",
        "zao",
        "pao",
        "ao",
        "tov",
        "too",
        "fze",
        "fzco",
        "fz-llc",
        "fzc",
        "fzllc",
        "pvt",
        "pte",
        "bhd",
        "sdn",
        "ltda",
        "ltd.",
        "sal",
        "s.a.l",
        "wll",
        "w.l.l",
        "l.t.d",
        "limited.",
        "jv",
        "group",
        "holding",
        "holdings",
        "lda",
        "lda.",
        "s.c",
        "s.c.",
        "kk",
        "k.k",
        "gk",
        "ltd.,",
    ]
)
AKA_LIST = re.compile(
    r",?\s*\(?a\.\s?k\.\s?a\s*\.?\s*,?\s*(?:and\s+)?the\s+following\s+(?:(?P<n>[\w-]+)\s+)?"
    r"alias(?:es)?\b(?P<extra>[^:—\n]*):?",
    re.I,
)
INLINE_MARK = re.compile(r",?\s*\b(?P<kind>[af])\.\s?k\.\s?a\b\s*\.?\s*,?\s*", re.I)
PAREN_MARK = re.compile(
    r"\(\s*(?P<kind>[af])\.\s?k\.\s?a\b\s*\.?\s*,?\s*(?P<body>[^()]*"
    r"(?:\([^()]*\)[^()]*)*)\)",
    re.I,
)
# A sentence end between the last alias and the address: ". " then a capital, digit or '#'.
SENTENCE_END = re.compile(r"(?<=[^\s.])\.\s+(?=[A-Z0-9#(\"'‘“])")
# Words that open the second part of an institution's name after a comma.
ORG_PARTS = frozenset(
    [
        "institute",
        "research",
        "academy",
        "department",
        "laboratory",
        "ministry",
        "branch",
        "faculty",
        "school",
        "center",
        "centre",
        "bureau",
        "division",
        "factory",
        "plant",
        "college",
        "university",
        "military",
    ]
)
ADDRESS_LABEL = re.compile(r"[,.]?\s+Address(?:es)?:\s*")
# Abbreviations written with a period at the end of a name: the period stays ("Co.", "Ltd.").
WRITTEN_WITH_PERIOD = frozenset(
    [
        "co",
        "ltd",
        "inc",
        "corp",
        "bhd",
        "pvt",
        "pte",
        "ltda",
        "jr",
        "sr",
        "bros",
        "mfg",
        "intl",
        "no",
        "est",
        "dept",
        "univ",
        "assn",
    ]
)
# Abbreviations that cannot end a name, so a period after them is no sentence end.
# Also abbreviations used inside names ("Huawei Tech. Investment Co.", "Imp. & Exp.", "PT.").
NON_FINAL = frozenset(
    [
        "no",
        "nos",
        "st",
        "mr",
        "mrs",
        "dr",
        "bldg",
        "ave",
        "blvd",
        "vs",
        "str",
        "sq",
        "tel",
        "fl",
        "rm",
        "km",
        "pt",
        "tech",
        "ind",
        "std",
        "imp",
        "exp",
        "man",
        "mat",
        "dev",
        "nat",
        "equip",
        "elec",
        "eng",
        "sci",
        "int'l",
    ]
)
NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


@dataclass
class EntityText:
    """One party's cell, taken apart."""

    name: str
    aliases: list[str] = field(default_factory=list)
    previous_names: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # shape doubts worth reporting


def clean(text: str) -> str:
    """Whitespace collapsed within lines, lines kept."""
    lines = (" ".join(line.split()) for line in text.replace("\r", "").split("\n"))
    return "\n".join(lines).strip()


def tidy_name(text: str) -> str:
    """A name without list punctuation around it: leading dashes, trailing '; and', a final
    period that is not part of an abbreviation ('Co.', 'Ltd.')."""
    name = " ".join(text.split()).strip(" ;,—-")
    name = re.sub(r"(?:[;,]\s*|\s+)(?:and|or)$", "", name).strip(" ;,")
    name = re.split(r",?\s+(?:and\s+)?to include the following", name)[0]
    if name.endswith(".") and not name.endswith(".."):
        last = name[:-1].rsplit(" ", 1)[-1].casefold().strip(",")
        if last not in WRITTEN_WITH_PERIOD and "." not in last:
            name = name[:-1]
    return name.strip()


def split_addresses(text: str) -> list[str]:
    """'A; and B; and C.' -> ['A', 'B', 'C']."""
    text = " ".join(text.split()).strip(" ;")
    if not text:
        return []
    parts = re.split(r";\s*and\s+|;\s+(?=[A-Z0-9])", text)
    return [p.strip(" ;") for p in parts if p.strip(" ;.")]


def _may_end_name(before: str) -> bool:
    """Whether a period after `before` can close a name (not 'No.', not an initial 'A.')."""
    word = before.rsplit(" ", 1)[-1].casefold()
    return len(word.replace(".", "")) > 1 and word not in NON_FINAL and "." not in word


def legal_form_next(after: str) -> bool:
    """Whether the next word is a legal form ("Co. Ltd.": the name goes on)."""
    word = after.strip().split(" ", 1)[0].casefold().rstrip(",;")
    return word in LEGAL_FORMS or word.rstrip(".") in LEGAL_FORMS


def split_name_address(text: str) -> tuple[str, str]:
    """Name and address of 'Name, address' (no alias marker): an 'Address:' label, else the
    first comma at bracket depth 0 not followed by a legal form or an organisation's part
    ("…Sciences, Institute of …"), or the first sentence end, ends the name."""
    flat = " ".join(text.split())
    label = ADDRESS_LABEL.search(flat)
    if label:
        return flat[: label.start()].strip(" ,"), flat[label.end() :].strip()
    depth = 0
    for index, char in enumerate(flat):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and char == "," and flat[index + 1 : index + 2] == " ":
            following = flat[index + 2 :].split(" ", 1)[0].casefold().rstrip(",;")
            if (
                following not in LEGAL_FORMS
                and following.rstrip(".") not in LEGAL_FORMS
                and following not in ORG_PARTS
            ):
                return flat[:index].strip(), flat[index + 2 :].strip()
        elif depth == 0 and char == ";":
            return flat[:index].strip(), flat[index + 1 :].strip()
        elif (
            depth == 0
            and char == "."
            and SENTENCE_END.match(flat, index)
            and _may_end_name(flat[:index])
            and not legal_form_next(flat[index + 1 :])
        ):
            return flat[: index + 1].strip(), flat[index + 1 :].strip()
    return flat.strip(), ""


def _names_in(body: str) -> list[str]:
    """'A; B; and C' or 'A; a.k.a. B' -> ['A', 'B', 'C']."""
    parts = re.split(r";\s*(?:and\s+)?(?:[af]\.\s?k\.\s?a\.?,?\s*)?|\s+and\s+(?=[A-Z'‘])", body)
    return [tidy_name(p) for p in parts if tidy_name(p)]


def _take_parentheticals(head: str, entity: EntityText) -> str:
    """Move '(f.k.a., X; Y)' and '(a.k.a., X)' out of the name into former names / aliases."""

    def move(match: re.Match[str]) -> str:
        target = entity.previous_names if match["kind"].casefold() == "f" else entity.aliases
        target.extend(_names_in(match["body"]))
        return ""

    return clean(PAREN_MARK.sub(move, head)).strip(" ,")


def _split_last_alias(piece: str) -> tuple[str, str]:
    """The last alias of a list and the address after it."""
    if "\n" in piece.strip():
        first, _, rest = piece.strip().partition("\n")
        return first, rest
    label = ADDRESS_LABEL.search(piece)
    if label:
        return piece[: label.start()], piece[label.end() :]
    match = next(
        (
            m
            for m in SENTENCE_END.finditer(piece)
            if _may_end_name(piece[: m.start()]) and not legal_form_next(piece[m.end() :])
        ),
        None,
    )
    if match is None:
        return piece, ""
    return piece[: match.start() + 1], piece[match.end() :]


def split_entity(text: str) -> EntityText:
    """Take one Entity List / MEU cell apart (see the module doc)."""
    text = clean(text)
    listed = AKA_LIST.search(text)
    if listed:
        entity = EntityText(name="")
        head = _take_parentheticals(text[: listed.start()], entity)
        entity.name = tidy_name(head)
        # Aliases open with a dash at a line start or after ':', ';' or 'and'; a dash inside a
        # name ("AGAT—Control Systems—Managing Company") follows a letter.
        pieces = re.split(r"(?:(?<=^)|(?<=[\n:;])|(?<=\band))\s*—", text[listed.end() :])
        if len(pieces) < 2:  # "a.k.a., the following alias: X. address" without dashes
            alias, address = split_name_address(pieces[0])
            entity.aliases.append(tidy_name(alias))
            entity.addresses = split_addresses(address)
        else:
            for piece in pieces[1:-1]:
                entity.aliases.append(tidy_name(piece))
            last, address = _split_last_alias(pieces[-1])
            entity.aliases.append(tidy_name(last))
            entity.addresses = split_addresses(address)
        wanted = NUMBERS.get((listed["n"] or "").casefold())
        found = len([a for a in entity.aliases if a])
        if wanted is not None and wanted != found:
            entity.problems.append(f"announces {wanted} alias(es), {found} read")
        entity.aliases = [a for a in entity.aliases if a]
        return entity
    entity = EntityText(name="")
    head = _take_parentheticals(text, entity)
    inline = INLINE_MARK.search(head)
    if inline and inline.start() > 0:
        name, rest = head[: inline.start()], head[inline.end() :]
        alias, address = split_name_address(rest)
        target = entity.previous_names if inline["kind"].casefold() == "f" else entity.aliases
        target.append(tidy_name(alias))
        entity.name = tidy_name(name)
        entity.addresses = split_addresses(address)
        return entity
    if "\n\n" in head:  # "Kelvo Inc<br/> <br/> 6600 21st Avenue, …": a blank line ends the name
        name, _, address = head.partition("\n\n")
    else:
        name, address = split_name_address(head)
    entity.name = tidy_name(name)
    entity.addresses = split_addresses(address)
    return entity


FR_CITATION = re.compile(
    r"(?P<volume>\d+)\s+FR\s+(?P<page>\d+)(?:,\s*(?P<m>\d{1,2})/"
    r"(?P<d>\d{1,2})/(?P<y>\d{2,4}))?"
)


def citation_dates(text: str) -> list[str]:
    """ISO dates of the Federal Register citations in a cell ('86 FR 60760, 11/4/21.')."""
    dates = []
    for match in FR_CITATION.finditer(text):
        if not match["y"]:
            continue
        year = int(match["y"])
        year = year + 2000 if year < 100 and year < 70 else year + 1900 if year < 100 else year
        month, day = int(match["m"]), int(match["d"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            dates.append(f"{year:04d}-{month:02d}-{day:02d}")
    return dates
