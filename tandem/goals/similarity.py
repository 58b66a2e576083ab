"""Text similarity for alignment suggestions, in plain Python: Chinese is segmented with jieba,
Latin text split into lower-case words; terms are weighted by TF-IDF over the documents
compared and documents scored by cosine similarity. jieba's dictionary loads once per process,
on first use, never at import time."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_HAN_OR_OTHER = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")

# Words that say nothing about what an objective is about.
STOP_WORDS = frozenset({
    "a", "an", "and", "the", "of", "to", "in", "on", "for", "by", "with", "our", "we", "is",
    "are", "be", "at", "from", "as", "this", "that", "each", "every", "all", "it", "its", "per",
    "的", "了", "和", "与", "及", "在", "对", "把", "为", "是", "等", "并", "将", "我们", "一个",
})


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _stem(word: str) -> str:
    """A light English stemmer: plurals and the -ing and -ed endings ("customers" →
    "customer", "winning" → "win", "shipped" → "ship")."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    return word


def tokenize(text: str) -> list[str]:
    """The terms of a text: jieba words for Chinese runs, stemmed lower-case words for the
    rest, without stop words, punctuation and one-character Latin words."""
    tokens: list[str] = []
    for part in _HAN_OR_OTHER.split(text.lower()):
        if not part:
            continue
        if _HAN.fullmatch(part):
            words = [w for w in _jieba().lcut(part) if w.strip()]
        else:
            words = [_stem(w.replace("’", "'").split("'")[0]) for w in _WORD.findall(part)]
            words = [w for w in words if len(w) > 1 or w.isdigit()]
        tokens.extend(w for w in words if w not in STOP_WORDS)
    return tokens


def tfidf_vectors(documents: Sequence[list[str]]) -> list[dict[str, float]]:
    """TF-IDF weights of each tokenised document, with smoothed idf (ln((1+n)/(1+df)) + 1)
    over these documents, each vector normalised to length 1."""
    count = len(documents)
    frequency: Counter[str] = Counter()
    for tokens in documents:
        frequency.update(set(tokens))
    idf = {term: math.log((1 + count) / (1 + df)) + 1 for term, df in frequency.items()}
    vectors = []
    for tokens in documents:
        terms = Counter(tokens)
        vector = {term: n * idf[term] for term, n in terms.items()}
        norm = math.sqrt(sum(w * w for w in vector.values()))
        vectors.append({t: w / norm for t, w in vector.items()} if norm else {})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def rank(query: str, candidates: Sequence[str]) -> list[float]:
    """The similarity (0–1) of `query` to each candidate text, in the candidates' order. The
    idf is computed over the query and the candidates together."""
    documents = [tokenize(query)] + [tokenize(text) for text in candidates]
    vectors = tfidf_vectors(documents)
    head = vectors[0]
    return [min(1.0, max(0.0, cosine(head, vector))) for vector in vectors[1:]]
