"""The scikit-learn clusters, PCA and classifiers against what the hand-written versions produced.

tests/engine/fixtures/previous_ml.npz and old_heads/ were written by the previous implementation at
commit 7f46fc1 (tests/engine/fixtures/make_previous_ml.py, make_old_heads.py) on fixed seeded data.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from engine.classifiers import CLASSIFIERS, fit_classifier
from engine.products.clusters import fit_hdbscan, fit_kmeans, nearest_centre
from engine.products.heads import Head
from engine.products.pca import fit_pca
from engine.validation import cross_validate

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
sys.path.insert(0, FIXTURES)
from make_previous_ml import fixed_data  # noqa: E402

NAMES = ["a", "b", "c", "d"]


@pytest.fixture(scope="module")
def data():
    return fixed_data()


@pytest.fixture(scope="module")
def prev():
    with np.load(os.path.join(FIXTURES, "previous_ml.npz")) as f:
        return {k: f[k] for k in f.files}


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """True when two labelings differ only by a renaming of the labels."""
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_kmeans_matches_previous_up_to_label_permutation(data, prev):
    centres = fit_kmeans(data["blobs"], 5, seed=0)
    labels = nearest_centre(data["blobs"], centres)
    assert _same_partition(labels, prev["kmeans_labels"])
    # both number clusters by size, so here the numbering (and the centres) agree too
    np.testing.assert_array_equal(labels, prev["kmeans_labels"])
    np.testing.assert_allclose(centres, prev["kmeans_centres"], atol=1e-4)


def test_minibatch_kmeans_and_hdbscan_find_the_same_groups(data, prev):
    mb = fit_kmeans(data["blobs"], 5, seed=0, minibatch=True)
    assert adjusted_rand_score(prev["kmeans_labels"], nearest_centre(data["blobs"], mb)) > 0.99
    density = fit_hdbscan(data["blobs"], seed=0)
    assert density.k == 5  # no k given: the five blobs are found from the density alone
    assert adjusted_rand_score(prev["kmeans_labels"], density.assign(data["blobs"])) > 0.99


def test_pca_matches_previous_up_to_sign(data, prev):
    model = fit_pca(data["pca_x"])
    dots = np.abs((model.components.astype(np.float64) * prev["pca_components"]).sum(axis=1))
    np.testing.assert_allclose(dots, 1.0, atol=1e-5)
    np.testing.assert_allclose(model.explained, prev["pca_explained"], rtol=1e-5)
    np.testing.assert_allclose(model.mean, prev["pca_mean"], rtol=1e-5)
    # the same sign rule (largest loading positive) makes the composites equal, not just alike
    got = model.to_byte(model.project(data["pca_x"])).astype(int)
    assert np.abs(got - prev["pca_bytes"]).max() <= 1


def test_incremental_pca_agrees_on_the_main_components(data, prev):
    model = fit_pca(data["pca_x"], batch_rows=100)
    dots = np.abs((model.components.astype(np.float64) * prev["pca_components"]).sum(axis=1))
    assert dots[0] > 0.9999 and dots[1] > 0.999 and dots[2] > 0.95
    np.testing.assert_allclose(model.explained, prev["pca_explained"], atol=2e-3)


@pytest.mark.parametrize("case", ["easy", "hard"])
def test_logistic_and_knn_probabilities_match_previous(data, prev, case):
    x, y, xt = data[f"{case}_x"], data[f"{case}_y"], data[f"{case}_xt"]
    # same convex objective (balanced weights, L2 = 1/C): the optimum, so the probabilities, agree
    p = fit_classifier(x, y, 4, "logistic").predict_proba(xt)
    np.testing.assert_allclose(p, prev[f"{case}_logistic_proba"], atol=2e-3)
    # same neighbours (cosine on standardised features), same class-balanced vote
    p = fit_classifier(x, y, 4, "knn").predict_proba(xt)
    np.testing.assert_allclose(p, prev[f"{case}_knn_proba"], atol=1e-4)


@pytest.mark.parametrize("case,tolerance", [("easy", 0.02), ("hard", 0.08)])
def test_mlp_accuracy_matches_previous(data, prev, case, tolerance):
    x, y, xt, yt = (data[f"{case}_{k}"] for k in ("x", "y", "xt", "yt"))
    p = fit_classifier(x, y, 4, "mlp", seed=0).predict_proba(xt)
    before = prev[f"{case}_mlp_proba"].argmax(1)
    assert abs((p.argmax(1) == yt).mean() - (before == yt).mean()) <= tolerance


@pytest.mark.parametrize("kind", ["logistic", "knn", "mlp"])
def test_cross_validated_accuracy_matches_previous(data, prev, kind):
    for case, tolerance in (("easy", 0.02), ("hard", 0.07)):
        cv = cross_validate(data[f"{case}_x"], data[f"{case}_y"], NAMES, kind, groups=data[f"{case}_groups"],
                            folds=5, seed=0)
        assert cv["n_folds"] == 5 and cv["n_tested"] == len(data[f"{case}_y"])
        assert abs(cv["overall_accuracy"] - float(prev[f"{case}_{kind}_cv_oa"])) <= tolerance, (case, cv)
        cm = np.array(cv["confusion_matrix"])
        assert cm.sum() == len(data[f"{case}_y"]) and (cm.sum(axis=1) == np.bincount(data[f"{case}_y"])).all()


def test_random_forest_learns_and_is_seeded(data):
    x, y, xt, yt = (data[f"easy_{k}"] for k in ("x", "y", "xt", "yt"))
    a = fit_classifier(x, y, 4, "random_forest", seed=3)
    assert (a.predict(xt) == yt).mean() >= 0.95
    again = fit_classifier(x, y, 4, "random_forest", seed=3)
    np.testing.assert_array_equal(a.predict_proba(xt), again.predict_proba(xt))
    assert not np.array_equal(a.predict_proba(xt), fit_classifier(x, y, 4, "random_forest", seed=4).predict_proba(xt))


@pytest.mark.parametrize("kind", CLASSIFIERS)
def test_saved_heads_give_the_same_probabilities(data, tmp_path, kind):
    from engine.products.classify import train_head

    x, y, xt = data["easy_x"], data["easy_y"], data["easy_xt"]
    head = train_head(x, y, NAMES, kind=kind, groups=data["easy_groups"], model_id="m", folds=2)
    path = head.save(str(tmp_path / "h.head.json"))
    with np.load(str(tmp_path / "h.head.npz"), allow_pickle=False) as f:  # plain arrays, no pickled objects
        assert all(f[k].dtype != object for k in f.files)
    loaded = Head.load(path)
    np.testing.assert_allclose(loaded.classifier.predict_proba(xt), head.classifier.predict_proba(xt), atol=1e-12)
    np.testing.assert_allclose(loaded.classifier.scores(xt), head.classifier.scores(xt), atol=1e-9)


def test_a_class_missing_from_training_gets_probability_zero(data):
    x, y = data["easy_x"], data["easy_y"]
    keep = y != 2
    for kind in CLASSIFIERS:
        p = fit_classifier(x[keep], y[keep], 4, kind).predict_proba(data["easy_xt"])
        assert p.shape == (200, 4) and np.allclose(p.sum(axis=1), 1.0) and np.allclose(p[:, 2], 0.0), kind


@pytest.mark.parametrize("kind", ["logistic", "knn", "mlp"])
def test_heads_saved_by_the_previous_version_still_load(data, kind):
    folder = os.path.join(FIXTURES, "old_heads")
    head = Head.load(os.path.join(folder, f"{kind}.head.json"))
    before = np.load(os.path.join(folder, f"{kind}.proba.npy"))
    got = head.classifier.predict_proba(data["easy_xt"])
    np.testing.assert_allclose(got, before, atol=1e-4)  # kNN: the old 1e-6 tie-break term is gone
    assert head.model_id == "fake-model" and head.class_names == NAMES


def test_umap_composite_without_umap_learn_says_what_to_install(monkeypatch, data):
    from engine.errors import MissingDependency
    from engine.products.umap_composite import fit_umap

    monkeypatch.setitem(sys.modules, "umap", None)  # as if not installed
    with pytest.raises(MissingDependency, match=r"umap-learn==.*PCA composite"):
        fit_umap(data["blobs"])


def test_umap_composite_keeps_the_groups_apart(data, prev):
    pytest.importorskip("umap", reason="optional package umap-learn not installed")
    from engine.products.umap_composite import fit_umap

    model = fit_umap(data["blobs"][:300], seed=0)
    coords = model.project(data["blobs"][:300])
    labels = prev["kmeans_labels"][:300]
    centres = np.stack([coords[labels == c].mean(0) for c in range(5)])
    spread = max(np.linalg.norm(coords[labels == c] - centres[c], axis=1).mean() for c in range(5))
    gaps = min(np.linalg.norm(centres[a] - centres[b]) for a in range(5) for b in range(a + 1, 5))
    assert gaps > spread  # each blob stays a compact group, away from the others
    assert model.to_byte(coords).min() >= 1


def test_training_knn_probe_matches_previous():
    from make_previous_probe import probe_data

    from engine.training.probe import knn_accuracy

    d = probe_data()
    with np.load(os.path.join(FIXTURES, "previous_probe.npz")) as f:
        prev = {k: float(f[k]) for k in f.files}
    fit, test = slice(0, 600), slice(600, None)
    for k in (5, 20):
        assert knn_accuracy(d["x"][fit], d["y"][fit], d["x"][test], d["y"][test], k) == pytest.approx(prev[f"knn_k{k}"])
        assert knn_accuracy(d["x"][fit], d["y"][fit], d["other"][test], d["y"][test], k,
                            per_domain=True) == pytest.approx(prev[f"knn_other_k{k}"])
        assert knn_accuracy(d["other"][fit], d["y"][fit], d["x"][test], d["y"][test],
                            k) == pytest.approx(prev[f"knn_reverse_k{k}"])


def test_training_probes_and_pseudo_label_kmeans_match_previous():
    """The training scripts' linear probe, real-data kNN vote and pseudo-label k-means (scikit-learn)
    against what the torch versions produced (fixtures/make_previous_training_ml.py)."""
    import torch
    from make_previous_training_ml import training_data

    from engine.training.probe import linear_probe_accuracy
    from engine.training.realprobe import knn_scores
    from engine.training.views import SpectralClusters

    d = training_data()
    with np.load(os.path.join(FIXTURES, "previous_training_ml.npz")) as f:
        prev = {k: f[k] for k in f.files}
    fit, test = slice(0, 600), slice(600, None)
    # Adam for 300 epochs vs L-BFGS to convergence, same L2 penalty: the same accuracy within 2 points.
    acc = linear_probe_accuracy(d["x"][fit], d["y"][fit], d["x"][test], d["y"][test])
    assert abs(acc - float(prev["linear"])) <= 0.02 and 0.4 < acc < 0.95
    np.testing.assert_allclose(knn_scores(d["x"][fit], d["y"][fit], d["x"][test], 20, 6), prev["knn_scores"], atol=1e-5)
    multi = knn_scores(d["x"][fit], d["multi"][fit], d["x"][test], 5, 9)
    np.testing.assert_allclose(multi, prev["knn_scores_multi"], atol=1e-5)
    assert (multi[:, 4] == 0).all()  # a label never seen in the fit set scores 0
    unanimous = multi[:, 0][multi[:, 0] > 0.9999]
    assert len(unanimous) > 10 and (unanimous == 1.0).all()  # unanimous votes tie exactly (mAP ranks them)
    centres = SpectralClusters._kmeans(torch.from_numpy(d["blobs"]), 5, 25, np.random.default_rng(0))
    labels = torch.cdist(torch.from_numpy(d["blobs"]), centres).argmin(1).numpy()
    assert adjusted_rand_score(prev["kmeans_labels"], labels) > 0.99
