"""Fitted scikit-learn estimators as plain arrays (for .npz files) and back, without pickle.

logistic: coefficients + intercepts; knn: the (standardised) training embeddings and labels,
refitted on load (a kNN fit only stores them); mlp: layer weights and biases; random_forest:
every tree's node table (children, feature, threshold, ...) and leaf class shares, flattened with
per-tree node counts. Arrays only: np.load(allow_pickle=False) reads them back.
"""
from __future__ import annotations

import numpy as np

from .errors import JobError

_NODE_FIELDS = ("left_child", "right_child", "feature", "threshold", "impurity", "n_node_samples",
                "weighted_n_node_samples", "missing_go_to_left")


def knn_estimator(xs: np.ndarray, y: np.ndarray, params: dict):
    """A fitted cosine kNN (brute force) on standardised features."""
    from sklearn.neighbors import KNeighborsClassifier

    k = max(1, min(params.get("k") or 20, len(y)))
    return KNeighborsClassifier(n_neighbors=k, metric="cosine", algorithm="brute").fit(
        np.asarray(xs, dtype=np.float32), np.asarray(y, dtype=np.int64))


def estimator_arrays(kind: str, model, train: "tuple[np.ndarray, np.ndarray] | None" = None) -> dict[str, np.ndarray]:
    """The learned parameters of a fitted estimator as named arrays (kNN: `train` = the standardised
    training features and labels it was fitted on, which are all a kNN has learned)."""
    out = {"classes": np.asarray(model.classes_, dtype=np.int64)}
    if kind == "logistic":
        out.update(coef=model.coef_, intercept=model.intercept_)
    elif kind == "knn":
        if train is None:
            raise JobError("A kNN head is saved with the samples it was fitted on; none were given.")
        out.update(train_x=np.asarray(train[0], dtype=np.float32), train_y=np.asarray(train[1], dtype=np.int64))
    elif kind == "mlp":
        for i, (w, b) in enumerate(zip(model.coefs_, model.intercepts_)):
            out[f"layer{i}_weight"], out[f"layer{i}_bias"] = w, b
        out["out_activation"] = np.array(model.out_activation_)
    elif kind == "random_forest":
        trees = [e.tree_ for e in model.estimators_]
        nodes = np.concatenate([t.__getstate__()["nodes"] for t in trees])
        for name in _NODE_FIELDS:
            out[f"node_{name}"] = np.ascontiguousarray(nodes[name])
        out["node_value"] = np.concatenate([t.value[:, 0, :] for t in trees]).astype(np.float64)
        out["tree_nodes"] = np.array([t.node_count for t in trees], dtype=np.int64)
        out["tree_depth"] = np.array([t.max_depth for t in trees], dtype=np.int64)
        out["n_features"] = np.array(model.n_features_in_)
    else:
        raise JobError(f"Unknown classifier '{kind}'.")
    return out


def estimator_from_arrays(kind: str, arrays: dict[str, np.ndarray], params: dict):
    """Rebuild a ready-to-predict estimator from estimator_arrays() output."""
    classes = np.asarray(arrays["classes"], dtype=np.int64)
    if kind == "logistic":
        from sklearn.linear_model import LogisticRegression

        m = LogisticRegression()
        m.coef_ = np.asarray(arrays["coef"], dtype=np.float64)
        m.intercept_ = np.asarray(arrays["intercept"], dtype=np.float64)
        m.classes_, m.n_features_in_ = classes, m.coef_.shape[1]
        return m
    if kind == "knn":
        return knn_estimator(arrays["train_x"], arrays["train_y"], params)
    if kind == "mlp":
        from sklearn.neural_network import MLPClassifier

        m = MLPClassifier(hidden_layer_sizes=(int(params.get("hidden", 128)),))
        n = sum(1 for k in arrays if k.endswith("_weight") and k.startswith("layer"))
        m.coefs_ = [np.asarray(arrays[f"layer{i}_weight"], dtype=np.float64) for i in range(n)]
        m.intercepts_ = [np.asarray(arrays[f"layer{i}_bias"], dtype=np.float64) for i in range(n)]
        m.n_layers_, m.n_outputs_ = n + 1, m.coefs_[-1].shape[1]
        m.out_activation_ = str(arrays["out_activation"])
        m.classes_, m.n_features_in_ = classes, m.coefs_[0].shape[0]
        return m
    if kind == "random_forest":
        return _forest(arrays, classes)
    raise JobError(f"Unknown classifier '{kind}'.")


def _forest(arrays: dict[str, np.ndarray], classes: np.ndarray):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.tree._tree import NODE_DTYPE, Tree

    n_features = int(arrays["n_features"])
    n_cls = np.array([len(classes)], dtype=np.intp)
    bounds = np.concatenate([[0], np.cumsum(arrays["tree_nodes"])])
    trees = []
    for i, depth in enumerate(arrays["tree_depth"]):
        sl = slice(int(bounds[i]), int(bounds[i + 1]))
        nodes = np.zeros(sl.stop - sl.start, dtype=NODE_DTYPE)
        for name in _NODE_FIELDS:
            nodes[name] = arrays[f"node_{name}"][sl]
        tree = Tree(n_features, n_cls, 1)
        tree.__setstate__({"max_depth": int(depth), "node_count": len(nodes), "nodes": nodes,
                           "values": np.ascontiguousarray(arrays["node_value"][sl][:, None, :])})
        est = DecisionTreeClassifier()
        est.tree_, est.n_outputs_, est.classes_, est.n_classes_ = tree, 1, classes, len(classes)
        est.n_features_in_, est.max_features_ = n_features, n_features
        trees.append(est)
    forest = RandomForestClassifier(n_estimators=len(trees), n_jobs=1)
    forest.estimators_, forest.estimator_ = trees, trees[0]
    forest.classes_, forest.n_classes_, forest.n_outputs_, forest.n_features_in_ = classes, len(classes), 1, n_features
    return forest
