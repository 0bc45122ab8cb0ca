"""The SMARTIES Processing provider and the helpers that (un)register it idempotently."""
from __future__ import annotations

from typing import Optional

from qgis.core import QgsApplication, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..i18n import tr
from .base import icon_path

PROVIDER_ID = "smarties"


def algorithm_classes() -> list:
    """Every SMARTIES algorithm class, in toolbox order."""
    from .change import ChangeAlgorithm
    from .classify import ClassifyAlgorithm
    from .clusters import ClustersAlgorithm
    from .embeddings import EmbeddingsAlgorithm
    from .inspect_bands import InspectBandsAlgorithm
    from .pca import PcaAlgorithm
    from .seasonal import SeasonalAlgorithm
    from .similarity import SimilarityAlgorithm

    return [EmbeddingsAlgorithm, PcaAlgorithm, ClustersAlgorithm, SimilarityAlgorithm, ChangeAlgorithm,
            ClassifyAlgorithm, SeasonalAlgorithm, InspectBandsAlgorithm]


class SmartiesProvider(QgsProcessingProvider):
    """Processing provider 'smarties': loads without torch; algorithms check dependencies when run."""

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "SMARTIES"

    def longName(self) -> str:  # noqa: N802
        try:
            from engine import __version__
        except ImportError:
            return tr("SMARTIES spectral foundation model")
        return tr("SMARTIES spectral foundation model {0}").format(__version__)

    def icon(self) -> QIcon:
        path = icon_path()
        return QIcon(path) if path else super().icon()

    def svgIconPath(self) -> str:  # noqa: N802
        path = icon_path()
        return path if path and path.endswith(".svg") else super().svgIconPath()

    def loadAlgorithms(self) -> None:  # noqa: N802
        for cls in algorithm_classes():
            self.addAlgorithm(cls())

    def supportedOutputRasterLayerExtensions(self) -> list[str]:  # noqa: N802
        return ["tif"]  # the engine streams GeoTIFF only

    def defaultRasterFileExtension(self) -> str:  # noqa: N802
        return "tif"


_provider: Optional[SmartiesProvider] = None


def register_provider() -> SmartiesProvider:
    """Add the provider to QGIS's processing registry once; later calls return the same provider."""
    global _provider
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById(PROVIDER_ID)
    if existing is not None:
        return existing
    _provider = SmartiesProvider()
    if not registry.addProvider(_provider):
        _provider = None
        raise RuntimeError(tr("QGIS refused to register the SMARTIES Processing provider."))
    return _provider


def unregister_provider() -> None:
    """Remove the provider from the registry (no-op when it is not registered)."""
    global _provider
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById(PROVIDER_ID)
    if existing is not None:
        registry.removeProvider(existing)
    _provider = None
