"""Target NER models: training (CRF or neural token classification) and prediction.

Public API::

    from projner.ner import NerModel, TrainConfig, train_files, train_model, evaluate_model

    model = train_files("train.conll", "models/en-crf", TrainConfig(model="crf"), dev_path="dev.conll")
    model = NerModel.load("models/en-crf")              # any model dir written by `projner train`
    spans = model.predict([["Angela", "Merkel", "visited", "Paris"]])   # [[Span(0, 2, 'PER'), Span(3, 4, 'LOC')]]

Heavy libraries (torch, transformers, sklearn-crfsuite) are imported only when a model of that kind is used.
"""

from projner.ner.config import TrainConfig
from projner.ner.data import read_sentences
from projner.ner.model import CARD_NAME, NerModel, read_card
from projner.ner.train import evaluate_model, train_files, train_model

__all__ = [
    "CARD_NAME",
    "NerModel",
    "TrainConfig",
    "evaluate_model",
    "read_card",
    "read_sentences",
    "train_files",
    "train_model",
]
