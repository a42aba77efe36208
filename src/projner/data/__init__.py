"""Datasets by name (see :mod:`projner.data.registry`) and corpus statistics."""

from projner.data.registry import (
    DatasetInfo,
    DatasetRef,
    list_datasets,
    masakhaner2_to_mafand,
    parse,
    read_dataset,
    read_parallel,
    resolve,
    uner_zh_to_en,
)
from projner.data.stats import CorpusStats, corpus_stats

__all__ = [
    "CorpusStats",
    "DatasetInfo",
    "DatasetRef",
    "corpus_stats",
    "list_datasets",
    "masakhaner2_to_mafand",
    "parse",
    "read_dataset",
    "read_parallel",
    "resolve",
    "uner_zh_to_en",
]
