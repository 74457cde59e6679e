from __future__ import annotations


class InvalidInput(ValueError):
    """Input a user must correct. `errors` maps each field ("" for the whole) to a message.

    Every domain error derives from it, so HTML views and the API report it the same way.
    """

    def __init__(self, errors: dict[str, str] | str, field: str = "") -> None:
        self.errors = {field: errors} if isinstance(errors, str) else dict(errors)
        super().__init__("; ".join(f"{k}: {v}" if k else str(v) for k, v in self.errors.items()))

    @property
    def message(self) -> str:
        return "; ".join(str(v) for v in self.errors.values())
