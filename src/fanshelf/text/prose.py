"""Paragraphs for prose that arrived as one long line.

Fics copied out of some sites (or through a phone) lose every line break. Shown as
one block they are unreadable, so :func:`split_flattened_prose` guesses where the
paragraphs were. The guess is meant to read like prose; the author can always edit
the result. It never changes a character: paragraphs are cut only at whitespace.

How it guesses:

1. **Sentences.** The text is cut into sentences, and each knows whether it opens
   a quotation or starts inside one (see :mod:`fanshelf.text.sentences`).
2. **Turns.** A sentence that opens a quotation starts a *turn*; the sentences still
   inside the quotation belong to it, and so does the sentence after it when that
   is an attribution (``Hux finally asked, …``) and the quotation ended in
   ``, ? ! … – —``, or when it is nothing but a short attribution (``Kylo said.``).
   The turn's *speaker* is the name in its attribution (``” Kylo said``,
   ``” he snarled``, ``said Hux``), recognised by a list of speech verbs and kept
   as one lower-case word (``General Hux`` and ``Hux’s`` are ``hux``).
3. **Dialogue paragraphs.** Each turn starts a new paragraph, except that a turn
   with no attribution, or with the same speaker, continues a paragraph whose
   speaker is known (``“Hux…” Kylo said softly. “I meant everything…”``). A turn of
   at most three words ending in ``?`` is a reply and always starts a paragraph
   (``“P…Perfect?”``).
4. **Beats.** The narrative sentences between two turns stay in the dialogue
   paragraph before them as its action beat when there are at most two of them and
   none starts with a speaker named elsewhere in the text other than this
   paragraph's own (``“Fine,” Hux said. He sighed. “Let’s go.”``). Otherwise they
   are narration and start a paragraph (``Kylo was not expecting this…`` after
   Brendol's line).
5. **Narrative.** Runs of narrative sentences are cut into paragraphs of at most
   five sentences or about 550 characters, balanced so no paragraph is left with a
   lone sentence when its neighbours could share. No paragraph of any kind grows past
   about 1,200 characters while it has a sentence boundary to cut at.
"""

import math
from dataclasses import dataclass, field

import regex

from .sentences import SPEECH_END, Sentence, quote_marks, split_sentences

MAX_NARRATIVE_SENTENCES = 5
MAX_NARRATIVE_CHARS = 550
MAX_PARAGRAPH_CHARS = 1200
MAX_REPLY_WORDS = 3
MAX_BEAT_SENTENCES = 2

# Verbs that make ``Name verb`` after a closing quote an attribution.
_SPEECH_VERBS = frozenset(
    {
        "said", "says", "say", "asked", "asks", "replied", "replies", "answered",
        "answers", "whispered", "whispers", "murmured", "murmurs", "muttered",
        "mutters", "mumbled", "mumbles", "snapped", "snaps", "snarled", "snarls",
        "spat", "spits", "shouted", "shouts", "yelled", "yells", "cried", "cries",
        "called", "calls", "added", "adds", "admitted", "admits", "continued",
        "continues", "sighed", "sighs", "laughed", "laughs", "growled", "growls",
        "hissed", "hisses", "breathed", "breathes", "demanded", "demands", "offered",
        "offers", "interrupted", "interrupts", "agreed", "agrees", "insisted",
        "insists", "explained", "explains", "pleaded", "pleads", "begged", "begs",
        "told", "tells", "warned", "warns", "exclaimed", "exclaims", "screamed",
        "screams", "stammered", "stammers", "stuttered", "stutters", "whimpered",
        "whimpers", "responded", "responds", "retorted", "retorts", "remarked",
        "remarks", "drawled", "drawls", "teased", "teases", "purred", "purrs",
        "grumbled", "grumbles", "groaned", "groans", "gasped", "gasps", "chuckled",
        "chuckles", "scoffed", "scoffs", "sneered", "sneers", "barked", "barks",
        "ordered", "orders", "commanded", "commands", "confessed", "confesses",
        "promised", "promises", "repeated", "repeats", "suggested", "suggests", "urged",
        "urges", "whined", "whines", "sobbed", "sobs", "croaked", "croaks", "rasped",
        "rasps", "huffed", "huffs", "mused", "muses", "joked", "jokes", "corrected",
        "corrects", "blurted", "blurts", "declared", "declares", "announced",
        "announces", "protested", "protests", "countered", "counters", "prompted",
        "prompts", "reminded", "reminds", "assured", "assures", "soothed", "soothes",
        "wondered", "wonders", "questioned", "questions", "began", "begins", "finished",
        "finishes", "managed", "manages",
    }
)  # fmt: skip
_PRONOUNS = frozenset({"he", "she", "they", "we", "you", "it", "i"})

_NAME = (
    r"(?:(?i:the|his|her|their|my|our)\s+\p{L}+"  # the general, his father
    r"|\p{Lu}[\p{L}’'-]*(?:\s+\p{Lu}[\p{L}’'-]*)?"  # Kylo, General Hux
    r"|(?i:he|she|they|we|you|it))"
)
_VERB = r"(?i:" + "|".join(sorted(_SPEECH_VERBS, key=len, reverse=True)) + r")"
_ATTRIBUTION = regex.compile(
    rf"\s*(?:(?P<speaker>{_NAME})(?:\s+\p{{L}}+ly)?\s+{_VERB}|{_VERB}\s+(?P<inverted>{_NAME}))\b"
)
_BARE_ATTRIBUTION = regex.compile(rf"{_ATTRIBUTION.pattern}(?:\s+\p{{L}}+ly)?[.!?…]$")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}’'-]*")


@dataclass
class _Block:
    """A quoted turn (with its attribution) or one narrative sentence."""

    sentences: list[Sentence]
    quoted: bool
    speaker: str | None = None
    has_tail: bool = False

    @property
    def start(self):
        return self.sentences[0].start

    @property
    def end(self):
        return self.sentences[-1].end


@dataclass
class _Paragraph:
    blocks: list[_Block] = field(default_factory=list)
    dialogue: bool = False
    speaker: str | None = None

    @property
    def sentences(self):
        return [sentence for block in self.blocks for sentence in block.sentences]


def split_flattened_prose(text: str) -> list[str]:
    """Split prose that has no line breaks into paragraphs (see the module docstring).

    Returns the paragraphs as stripped slices of ``text``: joined with single spaces
    they give back the text with its whitespace normalised.
    """
    marks = quote_marks(text)
    sentences = split_sentences(text, marks)
    if not sentences:
        return []
    blocks = _group_turns(text, sentences, marks)
    known = {b.speaker for b in blocks if b.speaker and b.speaker not in _PRONOUNS}
    paragraphs = []
    for paragraph in _group_paragraphs(text, blocks, known):
        if paragraph.dialogue:
            groups = _balanced_groups(paragraph.sentences, len(text), MAX_PARAGRAPH_CHARS)
        else:
            groups = _balanced_groups(
                paragraph.sentences, MAX_NARRATIVE_SENTENCES, MAX_NARRATIVE_CHARS
            )
        paragraphs.extend(text[group[0].start : group[-1].end] for group in groups)
    return paragraphs


def _group_turns(text, sentences, marks):
    blocks = []
    for sentence in sentences:
        previous = blocks[-1] if blocks else None
        if sentence.opens_quote:
            blocks.append(_Block([sentence], quoted=True))
        elif sentence.in_quote and previous and previous.quoted:
            previous.sentences.append(sentence)
        elif previous and previous.quoted and _is_attribution_tail(text, previous, sentence):
            previous.sentences.append(sentence)
            previous.has_tail = True
        else:
            blocks.append(_Block([sentence], quoted=False))
    for block in blocks:
        if block.quoted:
            block.speaker = _find_speaker(text, block, marks)
    return blocks


def _is_attribution_tail(text, turn, sentence):
    if turn.has_tail:
        return False
    words = text[sentence.start : sentence.end]
    if _BARE_ATTRIBUTION.match(words) and len(words.split()) <= 5:
        return True
    spoken = text[turn.start : turn.end].rstrip()
    return (
        len(spoken) >= 2
        and spoken[-1] in "”\"’'»"
        and spoken[-2] in SPEECH_END
        and _ATTRIBUTION.match(words) is not None
    )


def _find_speaker(text, block, marks):
    for i in range(block.start, block.end):
        if marks.get(i) is False:
            match = _ATTRIBUTION.match(text, i + 1, block.end)
            if match:
                return _speaker_key(match.group("speaker") or match.group("inverted"))
    return None


def _speaker_key(name):
    last = name.split()[-1].lower()
    for suffix in ("’s", "'s"):
        last = last.removesuffix(suffix)
    return last


def _first_word_key(text, block):
    match = _WORD.search(text, block.start, block.end)
    return _speaker_key(match.group()) if match else None


def _group_paragraphs(text, blocks, known_speakers):
    paragraphs = []
    for quoted, run in _runs(blocks):
        current = paragraphs[-1] if paragraphs else None
        if quoted:
            turn = run[0]
            if current is not None and _continues_turn(text, current, turn):
                current.blocks.append(turn)
            else:
                paragraphs.append(_Paragraph([turn], dialogue=True, speaker=turn.speaker))
        elif current is not None and _is_beat(text, current, run, known_speakers):
            current.blocks.extend(run)
        else:
            paragraphs.append(_Paragraph(run))
    return paragraphs


def _runs(blocks):
    """Yield (True, [turn]) for each quoted turn and (False, blocks) for narrative runs."""
    run = []
    for block in blocks:
        if block.quoted:
            if run:
                yield False, run
                run = []
            yield True, [block]
        else:
            run.append(block)
    if run:
        yield False, run


def _continues_turn(text, paragraph, turn):
    return (
        paragraph.dialogue
        and paragraph.speaker is not None
        and turn.speaker in (None, paragraph.speaker)
        and turn.end - paragraph.blocks[0].start <= MAX_PARAGRAPH_CHARS
        and not _is_short_reply(text, turn)
    )


def _is_beat(text, paragraph, run, known_speakers):
    """A short narrative run after dialogue is an action beat unless someone else acts."""
    if not paragraph.dialogue or len(run) > MAX_BEAT_SENTENCES:
        return False
    if run[-1].end - paragraph.blocks[0].start > MAX_PARAGRAPH_CHARS:
        return False
    firsts = {_first_word_key(text, block) for block in run}
    return not any(f in known_speakers and f != paragraph.speaker for f in firsts)


def _is_short_reply(text, block):
    if block.speaker or len(block.sentences) > 1:
        return False
    spoken = text[block.start : block.end].rstrip("”\"’'» ")
    return spoken.endswith("?") and len(spoken.split()) <= MAX_REPLY_WORDS


def _balanced_groups(sentences, max_sentences, max_chars):
    """Cut sentences into about equal groups, none past either limit if avoidable."""
    sizes = [s.end - s.start + 1 for s in sentences]
    total = sum(sizes)
    count = max(math.ceil(len(sentences) / max_sentences), math.ceil(total / max_chars))
    if count <= 1:
        return [sentences]
    target = total / count
    groups, group, group_size = [], [], 0
    for sentence, size in zip(sentences, sizes, strict=True):
        if group and (
            len(group) >= max_sentences
            or group_size + size > max_chars
            or group_size + size / 2 > target
        ):
            groups.append(group)
            group, group_size = [], 0
        group.append(sentence)
        group_size += size
    groups.append(group)
    return groups
