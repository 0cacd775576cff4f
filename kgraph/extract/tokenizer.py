"""The tokenizer: spaCy's English rules, plus two splits that paper abstracts need.

- A sentence-final period after a model size or version that ends in a capital
  ("LLaMA3-70B.", "Human3.6M.") is its own token, as it is after other words.
- A tilde, LaTeX's non-breaking space, splits ("models~(LLMs)" -> "models", "~(",
  "LLMs", ")"; "Llama~2" -> "Llama", "~", "2").

The shipped model's config names it (``kgraph.Tokenizer.v1``), so importing
:mod:`kgraph.extract` registers it before the model loads.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kgraph.Tokenizer.v1"}}})
>>> [t.text for t in nlp("We scale LLaMA3-70B. It uses models~(LLMs).")]
['We', 'scale', 'LLaMA3', '-', '70B', '.', 'It', 'uses', 'models', '~(', 'LLMs', ')', '.']
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex, registry

SUFFIXES = (r"(?<=[0-9][A-Z])\.",)
INFIXES = (r"~\(?",)


@registry.tokenizers("kgraph.Tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's tokenizer for the language, with kgraph's extra suffix and infix rules."""
    spacy_tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp: Language) -> Tokenizer:
        tokenizer = spacy_tokenizer(nlp)
        d = nlp.Defaults
        tokenizer.suffix_search = compile_suffix_regex([*d.suffixes, *SUFFIXES]).search
        tokenizer.infix_finditer = compile_infix_regex([*d.infixes, *INFIXES]).finditer
        return tokenizer

    return make
