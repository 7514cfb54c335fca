"""A private jieba tokenizer (jieba's default one is global state shared by the process)."""

import logging

import jieba


def new_tokenizer(words: list[str]) -> jieba.Tokenizer:
    """Return an initialised tokenizer that keeps `words` whole."""
    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at DEBUG to stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        if len(word) > 1:
            tokenizer.add_word(word, freq=2000)
    return tokenizer
