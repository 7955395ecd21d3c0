"""Near-duplicate works: the same text, or nearly (typos fixed, formatting changed).

A work's words are normalised (Unicode NFKC, case-folded, apostrophes dropped,
every other punctuation mark and symbol a space, whitespace collapsed), cut into
overlapping word 3-grams ("shingles") and summarised by a MinHash signature
(datasketch, 128 permutations, a fixed seed, so signatures stored today compare
with ones computed next year). The share of equal signature values estimates the
Jaccard similarity of two works' shingle sets.

Why three words: an edit breaks every shingle that covers the changed word, so with
k-word shingles a fraction p of edited words leaves a Jaccard of about
(1 - f) / (1 + f) with f = 1 - (1 - p)^k. For typos fixed in 2% of words that is
0.89 with k = 3 but only 0.82 with k = 5, too close to the 0.8 threshold once the
signature's own error (about ±0.03) is added. Unrelated prose still shares almost
no three-word sequences (Jaccard well under 0.1), and texts shorter than a
shingle fall back to shorter ones, so every text gets a signature.

Only works "in the archive" count: posted ones, and ones a moderator hid (a hidden
work is still somebody's original). Drafts and scheduled works are not
fingerprinted: nobody has published them yet, so they cannot be reposted.

Fingerprints are kept fresh by receivers of ``work_posted`` and ``chapter_posted``
(``imports.signals``) and repaired by ``ensure_fingerprints`` (``fanshelf
duplicates`` runs it first): a fingerprint is stale when the work's ``revised_at``
or word count moved since it was computed.
"""

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from datasketch import LeanMinHash, MinHash
from datasketch.hashfunc import sha1_hash32
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q

from fanshelf.imports.models import ExternalCreatorship, FingerprintBand, WorkFingerprint
from fanshelf.imports.readers.base import ImportedWork
from fanshelf.text import html_to_text
from fanshelf.works.models import Chapter, Creatorship, Work

SHINGLE_WORDS = 3
NUM_PERM = 128
# Changing the seed, the scheme, the hash function or the shingles makes stored
# signatures incomparable: run `fanshelf duplicates --refresh` afterwards.
SEED = 7
SCHEME = "affine32"
BYTE_ORDER = "<"
# Locality-sensitive hashing: BANDS bands of ROWS signature values each. Two works
# whose shingle sets have Jaccard similarity s agree on one band with probability
# s^ROWS, so they share at least one band (and become candidates) with probability
#     P(s) = 1 - (1 - s^6)^16
# P(0.9) = 0.99999, P(0.8) = 0.9923, P(0.7) = 0.87, P(0.5) = 0.22, P(0.3) = 0.012,
# P(0.1) = 0.00002. Six rows is the most that keeps P(0.8) > 0.99 with 128 values
# (seven rows allow 18 bands: P(0.8) = 0.986), and 16 is the fewest bands that do,
# which keeps P(0.5) as low as it can be. Candidates are then checked against the
# whole 128-value signature, so a 0.5 candidate costs one comparison, never a
# false report; the 32 values outside the bands still sharpen that estimate.
BANDS, ROWS = 16, 6
ARCHIVE_STATES = (Work.State.POSTED, Work.State.HIDDEN)
DEFAULT_THRESHOLD = 0.8
BATCH_SIZE = 200
# similar_works first fingerprints those of the newest works that have none (posted
# by code that bypassed the receivers): a bounded look, never a scan of all works;
# `fanshelf duplicates` catches older ones.
MISSING_LOOKBACK = 50
_HASH_CHUNK = 8192  # shingles hashed per numpy pass: 8192 x 128 x 4 bytes = 4 MB

_APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"


class _WordSeparators(dict):
    """A ``str.translate`` table built as characters are met: apostrophes vanish
    (``don't`` = ``dont``), punctuation, symbols, spaces and controls become a
    space, and each Han, kana or Thai character stands alone (one word each, as
    in word counts); letters, marks and digits stay."""

    def __missing__(self, code: int):
        char = chr(code)
        if char in _APOSTROPHES:
            value = ""
        elif unicodedata.category(char)[0] in "PSZC":
            value = " "
        elif _stands_alone(code):
            value = f" {char} "
        else:
            value = char
        self[code] = value
        return value


def _stands_alone(code: int) -> bool:
    return (
        0x3040 <= code <= 0x30FF  # Hiragana, Katakana
        or 0x3400 <= code <= 0x4DBF  # CJK Extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK Unified Ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK Compatibility Ideographs
        or 0x0E00 <= code <= 0x0E7F  # Thai
        or 0x20000 <= code <= 0x2FA1F  # CJK Extensions B-F, Supplement
    )


_SEPARATORS = _WordSeparators()


@dataclass(frozen=True)
class Similar:
    """A work in the archive and how alike its text is (estimated Jaccard, 0–1)."""

    work: Work
    similarity: float


def words_of(text: str) -> list[str]:
    """The normalised words of a plain text (see the module docstring)."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_SEPARATORS).split()


def shingles(words: list[str]) -> set[str]:
    """The distinct word ``SHINGLE_WORDS``-grams; shorter ones for a shorter text."""
    size = min(SHINGLE_WORDS, len(words))
    if not size:
        return set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class TextFingerprint:
    """A text's signature, and whether it had any words (a wordless one gets no bands)."""

    signature: LeanMinHash
    has_words: bool


def fingerprint_of(text: str) -> TextFingerprint:
    """The fingerprint of a plain text, to look up with and then store with its work."""
    shingle_set = shingles(words_of(text))
    return TextFingerprint(_signature(shingle_set), bool(shingle_set))


def signature_of(text: str) -> LeanMinHash:
    """The MinHash signature of a plain text's shingles (an empty text has one too,
    which matches nothing: works without words get no bands)."""
    return _signature(shingles(words_of(text)))


def _signature(shingle_set: set[str]) -> LeanMinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=sha1_hash32)
    encoded = [shingle.encode("utf-8") for shingle in shingle_set]
    for start in range(0, len(encoded), _HASH_CHUNK):
        minhash.update_batch(encoded[start : start + _HASH_CHUNK])
    return LeanMinHash(minhash)


def imported_text(imported: ImportedWork) -> str:
    """The words an imported work is compared by: its chapter bodies as plain text."""
    return "\n\n".join(html_to_text(chapter.body_html) for chapter in imported.chapters)


def work_text(work: Work) -> str:
    """The words a work in the archive is compared by: its posted chapters' bodies."""
    bodies = work.chapters.filter(state=Chapter.State.POSTED).order_by("position")
    return "\n\n".join(html_to_text(body) for body in bodies.values_list("body", flat=True))


def band_digests(signature: LeanMinHash) -> list[int]:
    """One signed 64-bit digest per band (fits a BigIntegerField everywhere)."""
    values = np.asarray(signature.hashvalues, dtype="<u4")
    return [_digest(values[band * ROWS : (band + 1) * ROWS].tobytes()) for band in range(BANDS)]


def _digest(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True)


def _to_bytes(signature: LeanMinHash) -> bytes:
    buffer = bytearray(signature.bytesize(BYTE_ORDER))
    signature.serialize(buffer, BYTE_ORDER)
    return bytes(buffer)


def _from_bytes(data) -> np.ndarray:
    return np.asarray(LeanMinHash.deserialize(bytes(data), BYTE_ORDER).hashvalues)


def _similarity(left: np.ndarray, right: np.ndarray) -> float:
    if left.shape != right.shape:
        return 0.0
    return float(np.count_nonzero(left == right)) / len(left)


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be more than 0 and at most 1, not {threshold!r}")


# Storage ---------------------------------------------------------------------


def update_fingerprint(work: Work) -> WorkFingerprint | None:
    """Compute and store ``work``'s fingerprint and bands, replacing the old ones, in
    one transaction; a work no longer in the archive loses them instead."""
    _fingerprint_ids([work.pk])
    return WorkFingerprint.objects.filter(work_id=work.pk).first()


def works_needing_fingerprints(works: Iterable | None = None, *, refresh: bool = False) -> list:
    """Ids of works in the archive whose fingerprint is missing or stale (all of them
    with ``refresh``), limited to ``works`` (Work objects or ids) when given."""
    archive = Work.objects.filter(state__in=ARCHIVE_STATES)
    if works is not None:
        archive = archive.filter(pk__in=[getattr(work, "pk", work) for work in works])
    if not refresh:
        same_revision = Q(fingerprint__revised_at=F("revised_at")) | Q(
            fingerprint__revised_at__isnull=True, revised_at__isnull=True
        )
        fresh = archive.filter(same_revision, fingerprint__word_count=F("word_count"))
        archive = archive.exclude(pk__in=fresh.values("pk"))
    return list(archive.order_by("pk").values_list("pk", flat=True))


def ensure_fingerprints(
    works: Iterable | None = None,
    *,
    refresh: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Fingerprint the works in the archive that have no fingerprint or a stale one
    (every one with ``refresh``), ``BATCH_SIZE`` at a time, each batch in one
    transaction; without ``works``, also drop fingerprints of works that left the
    archive. ``progress(n)`` hears of each batch. Returns how many were computed."""
    if works is None:
        drop_outside_archive()
    ids = works_needing_fingerprints(works, refresh=refresh)
    return fingerprint_works(ids, progress=progress)


def fingerprint_works(ids: list, *, progress: Callable[[int], None] | None = None) -> int:
    """(Re)compute the fingerprints of the works with these ids, in batches."""
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        _fingerprint_ids(batch)
        if progress:
            progress(len(batch))
    return len(ids)


def drop_outside_archive() -> None:
    """Forget the fingerprints of works that are no longer posted or hidden (a
    deleted work loses its own by cascade)."""
    gone = WorkFingerprint.objects.exclude(work__state__in=ARCHIVE_STATES)
    with transaction.atomic():
        FingerprintBand.objects.filter(work_id__in=gone.values("work_id")).delete()
        gone.delete()


def _fingerprint_ids(ids: list) -> None:
    works = {
        work.pk: work
        for work in Work.objects.filter(pk__in=ids, state__in=ARCHIVE_STATES).only(
            "pk", "revised_at", "word_count"
        )
    }
    texts = defaultdict(list)
    chapters = Chapter.objects.filter(work_id__in=list(works), state=Chapter.State.POSTED)
    for work_id, body in (
        chapters.order_by("work_id", "position").values_list("work_id", "body").iterator(100)
    ):
        texts[work_id].append(html_to_text(body))
    fingerprints, bands = [], []
    for work_id, work in works.items():
        fingerprint = fingerprint_of("\n\n".join(texts[work_id]))
        fingerprints.append(_fingerprint_row(work, fingerprint))
        bands.extend(_band_rows(work_id, fingerprint))
    _replace(ids, fingerprints, bands)


def store_fingerprint(work: Work, fingerprint: TextFingerprint) -> None:
    """Store ``work``'s fingerprint computed from its text before it was posted (as an
    import does to look for near-duplicates first): no second computation, and in
    the caller's transaction, so the work never exists without one."""
    _replace([work.pk], [_fingerprint_row(work, fingerprint)], _band_rows(work.pk, fingerprint))


def _fingerprint_row(work: Work, fingerprint: TextFingerprint) -> WorkFingerprint:
    return WorkFingerprint(
        work_id=work.pk,
        signature=_to_bytes(fingerprint.signature),
        word_count=work.word_count,
        revised_at=work.revised_at,
    )


def _band_rows(work_id: int, fingerprint: TextFingerprint) -> list[FingerprintBand]:
    if not fingerprint.has_words:
        return []
    return [
        FingerprintBand(work_id=work_id, band=band, digest=digest)
        for band, digest in enumerate(band_digests(fingerprint.signature))
    ]


def _replace(ids: list, fingerprints: list, bands: list) -> None:
    with transaction.atomic():
        FingerprintBand.objects.filter(work_id__in=ids).delete()
        WorkFingerprint.objects.filter(work_id__in=ids).delete()
        WorkFingerprint.objects.bulk_create(fingerprints)
        FingerprintBand.objects.bulk_create(bands, batch_size=1000)


# Lookups ---------------------------------------------------------------------


def similar_works(
    text: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 5,
    exclude: Iterable[int] = (),
    fingerprint: TextFingerprint | None = None,
) -> list[Similar]:
    """Works in the archive whose text is at least ``threshold`` alike to ``text``
    (plain text, e.g. ``imported_text(imported)``), best first, at most ``limit``.

    Candidates come from one indexed lookup of the text's band digests, never a scan
    of all works; each is then checked against its whole signature. The newest
    works without a fingerprint (posted by code that bypassed the receivers) are
    fingerprinted first. ``fingerprint`` is ``fingerprint_of(text)`` when the caller
    has it already.
    """
    _check_threshold(threshold)
    fingerprint = fingerprint or fingerprint_of(text)
    if not fingerprint.has_words or limit < 1:
        return []
    _fingerprint_missing()
    signature = fingerprint.signature
    # band IN (…) AND digest IN (…): up to 16 x 16 index probes, one statement. A
    # digest matching in another band is a harmless extra candidate.
    candidates = FingerprintBand.objects.filter(
        band__in=range(BANDS), digest__in=band_digests(signature)
    ).values("work_id")
    fingerprints = (
        WorkFingerprint.objects.filter(work_id__in=candidates, work__state__in=ARCHIVE_STATES)
        .exclude(work_id__in=list(exclude))
        .select_related("work")
    )
    mine = np.asarray(signature.hashvalues)
    found = [
        Similar(
            work=fingerprint.work, similarity=_similarity(mine, _from_bytes(fingerprint.signature))
        )
        for fingerprint in fingerprints
    ]
    found = [similar for similar in found if similar.similarity >= threshold]
    found.sort(key=lambda similar: (-similar.similarity, similar.work.pk))
    return found[:limit]


def _fingerprint_missing() -> None:
    newest = Work.objects.order_by("-pk").values("pk")[:MISSING_LOOKBACK]
    missing = Work.objects.filter(pk__in=newest, state__in=ARCHIVE_STATES, fingerprint__isnull=True)
    ids = list(missing.values_list("pk", flat=True))
    if ids:
        _fingerprint_ids(ids)


def duplicate_pairs(threshold: float = DEFAULT_THRESHOLD) -> Iterator[tuple[Work, Work, float]]:
    """Pairs of works in the archive at least ``threshold`` alike, best first, each
    pair once (older work first), for moderators looking for reposted works.

    Candidates are works that share a band digest (one GROUP BY … HAVING COUNT > 1
    over the indexed bands), checked against their whole signatures.
    """
    _check_threshold(threshold)
    in_archive = FingerprintBand.objects.filter(work__state__in=ARCHIVE_STATES)
    shared = (
        in_archive.values("band", "digest")
        .annotate(works=Count("work_id"))
        .filter(works__gt=1)
        .values("digest")
    )
    groups = defaultdict(set)
    rows = in_archive.filter(digest__in=shared).values_list("band", "digest", "work_id")
    for band, digest, work_id in rows.iterator(2000):
        groups[band, digest].add(work_id)
    candidates = set()
    for members in groups.values():
        candidates.update(combinations(sorted(members), 2))
    if not candidates:
        return
    ids = sorted({work_id for pair in candidates for work_id in pair})
    signatures = {}
    for chunk in _chunks(ids):
        rows = WorkFingerprint.objects.filter(work_id__in=chunk)
        for work_id, data in rows.values_list("work_id", "signature"):
            signatures[work_id] = _from_bytes(data)
    scored = []
    for left, right in candidates:
        if left in signatures and right in signatures:
            similarity = _similarity(signatures[left], signatures[right])
            if similarity >= threshold:
                scored.append((similarity, left, right))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    works = _works_with_creators(sorted({pk for _, left, right in scored for pk in (left, right)}))
    for similarity, left, right in scored:
        if left in works and right in works:  # neither deleted meanwhile
            yield works[left], works[right], similarity


def _works_with_creators(ids: list) -> dict[int, Work]:
    """The works with what naming their creators takes (creatorships, archived
    creators) prefetched."""
    works = {}
    for chunk in _chunks(ids):
        works.update(
            (work.pk, work)
            for work in Work.objects.filter(pk__in=chunk).prefetch_related(
                Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud")),
                Prefetch(
                    "external_creatorships",
                    queryset=ExternalCreatorship.objects.select_related("creator"),
                ),
            )
        )
    return works


def _chunks(ids: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
