"""Refusals the core raises for input a person gave: each carries a stable code and the values
a sentence about it names, so every channel can say in its own words what to do about it; the
English message is for logs and operators."""


class Refusal(ValueError):
    """Input a rule refused: `code` names the rule, `params` the values a sentence needs."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params
