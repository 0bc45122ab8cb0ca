"""Classifiers on frozen embeddings: scikit-learn estimators behind one small interface.

logistic (LogisticRegression), knn (KNeighborsClassifier, cosine), mlp (MLPClassifier) and
random_forest (RandomForestClassifier). Every classifier standardises its features with the
training mean/std (StandardScaler), weights classes equally ("balanced"), is deterministic for a
given seed, and maps its scores onto all `n_classes` columns (a class absent from a training fold
gets probability 0). Learned parameters travel as plain arrays (engine.classifier_arrays) so a
head is saved in npz/JSON, never pickled. Cross-validation and metrics: engine.validation.
"""
from __future__ import annotations

import warnings
from typing import Optional

import numpy as np

from .errors import JobError

CLASSIFIERS = ("logistic", "knn", "mlp", "random_forest")
ABSENT_LOGIT = -1.0e4  # logit of a class the classifier never saw: probability exp(-1e4) = 0


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax (scipy)."""
    from scipy.special import softmax as _softmax

    return _softmax(np.asarray(scores, dtype=np.float64), axis=1)


def balanced_weights(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Per-class weights n / (classes present * count), scikit-learn's "balanced" rule; 0 for absent classes."""
    from sklearn.utils.class_weight import compute_class_weight

    y = np.asarray(y, dtype=np.int64)
    present = np.unique(y)
    w = np.zeros(n_classes)
    w[present] = compute_class_weight("balanced", classes=present, y=y)
    return w


class Classifier:
    """Base: StandardScaler + one scikit-learn estimator; full-width scores and probabilities."""

    kind = "base"
    linear = False  # True when scores are an affine function of the features
    scores_are_probabilities = False  # True: scores() already sum to 1 per row

    def __init__(self, seed: int = 0, **params):
        self.seed = int(seed)
        self.params = dict(params)
        self.n_classes = 0
        self.scaler = None  # sklearn StandardScaler
        self.model = None  # the fitted sklearn estimator

    # -- training ----------------------------------------------------------------------------
    def fit(self, x: np.ndarray, y: np.ndarray, n_classes: Optional[int] = None) -> "Classifier":
        """Train on features x [N, D] and class indices y [N] (0..n_classes-1)."""
        from sklearn.preprocessing import StandardScaler

        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.int64)
        self.n_classes = int(n_classes or y.max() + 1)
        self.scaler = StandardScaler().fit(x)
        with warnings.catch_warnings():
            # a capped iteration count is a choice here, not an accident worth a console warning
            warnings.filterwarnings("ignore", message=".*(converge|Maximum iterations).*")
            self.model = self._fit(self.scaler.transform(x), y)
        return self

    def _fit(self, xs: np.ndarray, y: np.ndarray):
        raise NotImplementedError

    def _weights(self, y: np.ndarray) -> Optional[np.ndarray]:
        """Per-sample weights for balanced training (None when the classes count as they are)."""
        if not self.params.get("balanced", True):
            return None
        return balanced_weights(y, self.n_classes)[y]

    # -- prediction --------------------------------------------------------------------------
    def _standardise(self, x: np.ndarray) -> np.ndarray:
        return self.scaler.transform(np.asarray(x, dtype=np.float64))

    def _widen(self, part: np.ndarray, fill: float) -> np.ndarray:
        """[N, classes seen] -> [N, n_classes] (columns of unseen classes = fill)."""
        out = np.full((part.shape[0], self.n_classes), fill, dtype=np.float64)
        out[:, np.asarray(self.model.classes_, dtype=np.int64)] = part
        return out

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities [N, n_classes]."""
        return self._widen(self.model.predict_proba(self._standardise(x)), 0.0)

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Per-class scores [N, C]; higher means more likely (logits for logistic/MLP, else probabilities)."""
        return self.predict_proba(x)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Most likely class index per row."""
        return np.argmax(self.scores(x), axis=1)

    # -- state -------------------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        """Learned arrays for saving: feature standardisation + the estimator's parameters."""
        from .classifier_arrays import estimator_arrays

        return {"mean": self.scaler.mean_.astype(np.float64), "scale": self.scaler.scale_.astype(np.float64),
                **estimator_arrays(self.kind, self.model, getattr(self, "train", None))}

    def config(self) -> dict:
        """JSON-able description (kind, seed, parameters, classes, library version)."""
        import sklearn

        return {"kind": self.kind, "seed": self.seed, "params": self.params, "n_classes": self.n_classes,
                "library": f"scikit-learn {sklearn.__version__}"}

    def _load(self, arrays: dict[str, np.ndarray]) -> None:
        from sklearn.preprocessing import StandardScaler

        from .classifier_arrays import estimator_from_arrays

        self.scaler = StandardScaler()
        self.scaler.mean_ = np.asarray(arrays["mean"], dtype=np.float64)
        self.scaler.scale_ = np.asarray(arrays["scale"], dtype=np.float64)
        self.scaler.var_ = self.scaler.scale_ ** 2
        self.scaler.n_features_in_ = len(self.scaler.mean_)
        self.scaler.n_samples_seen_ = 0
        self.model = estimator_from_arrays(self.kind, arrays, self.params)


class LogisticClassifier(Classifier):
    """Multinomial logistic regression (linear probe), L2 = 1/C, balanced classes, L-BFGS."""

    kind = "logistic"
    linear = True

    def __init__(self, seed: int = 0, l2: float = 1.0, max_iter: int = 1000, balanced: bool = True):
        super().__init__(seed, l2=float(l2), max_iter=int(max_iter), balanced=bool(balanced))

    def _fit(self, xs, y):
        from sklearn.linear_model import LogisticRegression

        p = self.params
        # the objective is strictly convex: the optimum (and so the result) does not depend on the seed
        return LogisticRegression(C=1.0 / p["l2"], class_weight="balanced" if p["balanced"] else None,
                                  max_iter=p["max_iter"], tol=1e-6, random_state=self.seed).fit(xs, y)

    def scores(self, x):
        z = self.model.decision_function(self._standardise(x))
        if z.ndim == 1:  # two classes: one logit difference -> symmetric pair, same softmax
            z = np.stack([-0.5 * z, 0.5 * z], axis=1)
        return self._widen(z, ABSENT_LOGIT)

    def predict_proba(self, x):
        return softmax(self.scores(x))


class KNNClassifier(Classifier):
    """k nearest neighbours by cosine similarity of standardised features; probability = vote share.

    With balanced=True each vote counts 1 / (samples of its class), so a class with 7 samples is
    not outvoted by a class with 30 among the k=20 neighbours (the class weights of the other heads).
    """

    kind = "knn"
    scores_are_probabilities = True

    def __init__(self, seed: int = 0, k: Optional[int] = None, balanced: bool = True):
        super().__init__(seed, k=None if k is None else int(k), balanced=bool(balanced))

    @property
    def k(self) -> int:
        """Neighbours asked for: k (default 20), at most the number of training samples."""
        n = 0 if self.model is None else int(self.model.n_samples_fit_)
        return max(1, min(self.params["k"] or 20, n))

    def _fit(self, xs, y):
        from .classifier_arrays import knn_estimator

        self.train = (np.asarray(xs, dtype=np.float32), np.asarray(y, dtype=np.int64))  # all a kNN learns
        return knn_estimator(*self.train, self.params)

    def _load(self, arrays):
        super()._load(arrays)
        self.train = (np.asarray(arrays["train_x"], dtype=np.float32), np.asarray(arrays["train_y"], dtype=np.int64))

    def predict_proba(self, x):
        shares = self._widen(self.model.predict_proba(self._standardise(x)), 0.0)
        if self.params.get("balanced", True):
            # uniform votes -> shares are counts / k; weighting each class's count gives the balanced vote
            shares = shares * balanced_weights(self.train[1], self.n_classes)[None, :]
        return shares / np.maximum(shares.sum(axis=1, keepdims=True), 1e-12)


class MLPClassifier(Classifier):
    """One hidden ReLU layer (scikit-learn MLPClassifier, Adam), L2 alpha, balanced sample weights, seeded."""

    kind = "mlp"

    def __init__(self, seed: int = 0, hidden: int = 128, epochs: int = 300, lr: float = 3e-3,
                 alpha: float = 1e-3, balanced: bool = True):
        super().__init__(seed, hidden=int(hidden), epochs=int(epochs), lr=float(lr), alpha=float(alpha),
                         balanced=bool(balanced))

    def _fit(self, xs, y):
        from sklearn.neural_network import MLPClassifier as SkMLP

        p = self.params
        return SkMLP(hidden_layer_sizes=(p["hidden"],), alpha=p["alpha"], learning_rate_init=p["lr"],
                     max_iter=p["epochs"], random_state=self.seed).fit(xs, y, sample_weight=self._weights(y))

    def scores(self, x):
        # log-probabilities: logits up to a per-row constant, so softmax(scores) = probabilities
        return np.log(np.maximum(self.predict_proba(x), 1e-30))

    def predict_proba(self, x):
        return self._widen(self.model.predict_proba(self._standardise(x)), 0.0)


class RandomForestClassifier(Classifier):
    """Random forest (scikit-learn), balanced classes, seeded; probability = mean of the trees' leaf shares."""

    kind = "random_forest"
    scores_are_probabilities = True

    def __init__(self, seed: int = 0, trees: int = 100, max_depth: Optional[int] = None,
                 min_samples_leaf: int = 1, balanced: bool = True):
        super().__init__(seed, trees=int(trees), max_depth=None if max_depth is None else int(max_depth),
                         min_samples_leaf=int(min_samples_leaf), balanced=bool(balanced))

    def _fit(self, xs, y):
        from sklearn.ensemble import RandomForestClassifier as SkForest

        p = self.params
        return SkForest(n_estimators=p["trees"], max_depth=p["max_depth"], min_samples_leaf=p["min_samples_leaf"],
                        class_weight="balanced" if p["balanced"] else None, random_state=self.seed,
                        n_jobs=1).fit(xs, y)


_KINDS = {"logistic": LogisticClassifier, "knn": KNNClassifier, "mlp": MLPClassifier,
          "random_forest": RandomForestClassifier}


def make_classifier(kind: str = "logistic", seed: int = 0, **params) -> Classifier:
    """A fresh classifier by name: logistic | knn | mlp | random_forest."""
    if kind not in _KINDS:
        raise JobError(f"Unknown classifier '{kind}'. Choose one of: {', '.join(CLASSIFIERS)}.")
    return _KINDS[kind](seed=seed, **params)


def classifier_from_state(config: dict, arrays: dict[str, np.ndarray]) -> Classifier:
    """Rebuild a trained classifier from config() and arrays()."""
    clf = make_classifier(config["kind"], seed=config.get("seed", 0), **config.get("params", {}))
    clf.n_classes = int(config["n_classes"])
    clf._load(arrays)
    return clf


def fit_classifier(x: np.ndarray, y: np.ndarray, n_classes: int, kind: str = "logistic", seed: int = 0,
                   **params) -> Classifier:
    """Train one classifier on all samples."""
    return make_classifier(kind, seed, **params).fit(np.asarray(x), np.asarray(y), n_classes)

