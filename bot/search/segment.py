"""Private jieba tokenizers (jieba's default one is global state shared by the process)."""

import functools
import logging

import jieba


@functools.cache
def _dictionary() -> jieba.Tokenizer:
    # Loading jieba's dictionary takes about 0.7 s; it is read once per process and copied.
    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at DEBUG to stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def new_tokenizer(words: list[str]) -> jieba.Tokenizer:
    """Return an initialised tokenizer that keeps `words` whole."""
    base = _dictionary()
    tokenizer = jieba.Tokenizer()
    # A copy of the word frequencies is the whole of an initialised tokenizer's state (about
    # 15 ms), so a catalogue change costs no dictionary load.
    tokenizer.FREQ, tokenizer.total = dict(base.FREQ), base.total
    tokenizer.initialized = True
    for word in words:
        if len(word) > 1:
            tokenizer.add_word(word, freq=2000)
    return tokenizer
