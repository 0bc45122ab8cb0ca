<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
  <context>
    <name>smarties</name>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="212" />
      <source>unsupported</source>
      <translation>non prise en charge</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="185" />
      <source>excluded</source>
      <translation>exclue</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="185" />
      <source>This band is not given to the model.</source>
      <translation>Cette bande n'est pas transmise au modèle.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="188" />
      <source>no wavelength</source>
      <translation>sans longueur d'onde</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="218" />
      <source>interpolated: {0}</source>
      <translation>interpolée : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="243" />
      <source>The input raster has no bands.</source>
      <translation>Le raster d'entrée n'a aucune bande.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="245" />
      <source>No band is ticked: include at least one band.</source>
      <translation>Aucune bande n'est cochée : incluez au moins une bande.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="194" />
      <source>unknown</source>
      <translation>inconnue</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="194" />
      <source>The engine's spectral module is not available.</source>
      <translation>Le module spectral du moteur n'est pas disponible.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="215" />
      <source>trained: {0}</source>
      <translation>entraînée : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="217" />
      <source>nearest: {0}</source>
      <translation>la plus proche : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="251" />
      <source>No band is identified: choose a sensor preset, or type each band's name (e.g. B04) or its wavelength range (Min/Max, nm or µm).</source>
      <translation>Aucune bande n'est identifiée : choisissez un capteur prédéfini, ou saisissez le nom de chaque bande (par ex. B04) ou son intervalle de longueurs d'onde (Min/Max, en nm ou µm).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="88" />
      <source>'{0}' is not a wavelength; type e.g. 665, 665 nm or 0.665 µm.</source>
      <translation>« {0} » n'est pas une longueur d'onde ; saisissez par exemple 665, 665 nm ou 0.665 µm.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="97" />
      <source>Wavelength '{0}' must be a positive number.</source>
      <translation>La longueur d'onde « {0} » doit être un nombre positif.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="189" />
      <source>Band {0} has no wavelength range: enter its min and max (nm) or choose a sensor preset.</source>
      <translation>La bande {0} n'a pas d'intervalle de longueurs d'onde : saisissez son minimum et son maximum (nm) ou choisissez un capteur prédéfini.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="254" />
      <source>Band(s) {0} have no wavelength range: type the name (e.g. B04) or the Min/Max wavelength, or untick them.</source>
      <translation>La ou les bandes {0} n'ont pas d'intervalle de longueurs d'onde : saisissez le nom (par ex. B04) ou les longueurs d'onde Min/Max, ou décochez-les.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="260" />
      <source>Band {0}: minimum wavelength {1} nm is above the maximum {2} nm.</source>
      <translation>Bande {0} : la longueur d'onde minimale {1} nm dépasse la maximale {2} nm.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="265" />
      <source>Band {0} ({1}): {2}. Untick it or change its wavelength range.</source>
      <translation>Bande {0} ({1}) : {2}. Décochez-la ou modifiez son intervalle de longueurs d'onde.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="291" />
      <source>Ticked bands: {0}</source>
      <translation>Bandes cochées : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="27" />
      <source>runs the SMARTIES encoder</source>
      <translation>exécute l'encodeur SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="28" />
      <source>reads the published model files</source>
      <translation>lit les fichiers de modèle publiés</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="29" />
      <source>clusters, PCA and classifiers</source>
      <translation>groupes, ACP et classifieurs</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="30" />
      <source>optional ONNX Runtime backend</source>
      <translation>moteur ONNX Runtime facultatif</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="93" />
      <source>SMARTIES needs Python packages that this QGIS does not have:</source>
      <translation>SMARTIES a besoin de paquets Python absents de ce QGIS :</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="97" />
      <source>Close QGIS, run this command in a terminal, then restart QGIS:</source>
      <translation>Fermez QGIS, exécutez cette commande dans un terminal, puis relancez QGIS :</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="100" />
      <source>On Windows, run it from the OSGeo4W Shell as administrator.</source>
      <translation>Sous Windows, exécutez-la depuis l'OSGeo4W Shell en tant qu'administrateur.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="36" />
      <source>Embeddings (one band per feature)</source>
      <translation>Plongements (une bande par caractéristique)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="37" />
      <source>PCA (3 principal components as RGB)</source>
      <translation>ACP (3 composantes principales en RVB)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="38" />
      <source>Clusters (k-means)</source>
      <translation>Groupes (k-moyennes)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="39" />
      <source>Similarity to reference points</source>
      <translation>Similarité avec des points de référence</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="40" />
      <source>Change between two dates</source>
      <translation>Changement entre deux dates</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="41" />
      <source>Classification from labelled vector layer</source>
      <translation>Classification à partir d'une couche vecteur étiquetée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="57" />
      <source>Input raster and bands</source>
      <translation>Raster d'entrée et bandes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="69" />
      <source>(identify from the file)</source>
      <translation>(identifier depuis le fichier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="72" />
      <source>Force a sensor preset: every band gets the preset's wavelength range in file order.</source>
      <translation>Imposer un capteur prédéfini : chaque bande reçoit l'intervalle de longueurs d'onde du capteur, dans l'ordre du fichier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="75" />
      <source>Auto-detect</source>
      <translation>Détection automatique</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="76" />
      <source>Identify each band from the file's metadata, band names and file name.</source>
      <translation>Identifier chaque bande à partir des métadonnées du fichier, des noms de bandes et du nom du fichier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="86" />
      <source>Model</source>
      <translation>Modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="91" />
      <source>Model file…</source>
      <translation>Fichier de modèle…</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="94" />
      <source>Model files (*.safetensors *.pt *.pth *.onnx)</source>
      <translation>Fichiers de modèle (*.safetensors *.pt *.pth *.onnx)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="95" />
      <source>Model file</source>
      <translation>Fichier de modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="99" />
      <source>Product</source>
      <translation>Produit</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="116" />
      <source>Extent (unticked: the whole layer)</source>
      <translation>Emprise (décochée : toute la couche)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="124" />
      <source>Output</source>
      <translation>Sortie</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="128" />
      <source>GeoTIFF (*.tif *.tiff)</source>
      <translation>GeoTIFF (*.tif *.tiff)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="130" />
      <source>Output file</source>
      <translation>Fichier de sortie</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="134" />
      <source>Advanced</source>
      <translation>Avancé</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="141" />
      <source> px</source>
      <translation> px</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="142" />
      <source>Window</source>
      <translation>Fenêtre</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="147" />
      <source>Overlap (fraction of the window)</source>
      <translation>Recouvrement (fraction de la fenêtre)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="151" />
      <source>Batch size</source>
      <translation>Taille de lot</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="155" />
      <source>Device</source>
      <translation>Périphérique</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="159" />
      <source>Backend</source>
      <translation>Moteur d'exécution</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="161" />
      <source>published (as the reference implementation)</source>
      <translation>publiée (comme l'implémentation de référence)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="162" />
      <source>linear (nearer layer weighs more)</source>
      <translation>linéaire (la couche la plus proche pèse davantage)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="163" />
      <source>Band interpolation</source>
      <translation>Interpolation des bandes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="164" />
      <source>Use the nearest layer for bands outside the trained spectrum</source>
      <translation>Utiliser la couche la plus proche pour les bandes hors du spectre d'entraînement</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="166" />
      <source>Also keep the embeddings next to the output</source>
      <translation>Conserver aussi les plongements à côté de la sortie</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="181" />
      <source>Run</source>
      <translation>Exécuter</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="205" />
      <source>Number of clusters (k)</source>
      <translation>Nombre de groupes (k)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="212" />
      <source>Pick points on the map</source>
      <translation>Choisir des points sur la carte</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="214" />
      <source>Clear</source>
      <translation>Effacer</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="215" />
      <source>No point picked</source>
      <translation>Aucun point choisi</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="219" />
      <source>Reference points</source>
      <translation>Points de référence</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="224" />
      <source>or a point/polygon layer</source>
      <translation>ou une couche de points/polygones</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="237" />
      <source>Second raster (after)</source>
      <translation>Second raster (après)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="248" />
      <source>Labelled vector layer</source>
      <translation>Couche vecteur étiquetée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="250" />
      <source>Class field</source>
      <translation>Champ de classe</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="60" />
      <source>Raster layer</source>
      <translation>Couche raster</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="67" />
      <source>Sensor preset</source>
      <translation>Capteur prédéfini</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="56" />
      <source>SMARTIES - spectral foundation model</source>
      <translation>SMARTIES - modèle de fondation spectral</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="230" />
      <source>Choose an input raster layer.</source>
      <translation>Choisissez une couche raster d'entrée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="244" />
      <source>Similarity needs reference points: pick them on the map or choose a point/polygon layer.</source>
      <translation>La similarité nécessite des points de référence : choisissez-les sur la carte ou sélectionnez une couche de points/polygones.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="247" />
      <source>The reference layer must be a vector file on disk.</source>
      <translation>La couche de référence doit être un fichier vecteur sur le disque.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="266" />
      <source>Choose an output file (.tif).</source>
      <translation>Choisissez un fichier de sortie (.tif).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="274" />
      <source>The window must be a multiple of 16 pixels.</source>
      <translation>La fenêtre doit être un multiple de 16 pixels.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="145" />
      <source>Unticked band(s) {0}: the model has no projection layer for them.</source>
      <translation>Bande(s) décochée(s) {0} : le modèle n'a pas de couche de projection pour elles.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="239" />
      <source>Choose a model file or pick a listed model.</source>
      <translation>Choisissez un fichier de modèle ou un modèle de la liste.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="251" />
      <source>A change map needs a second raster (after).</source>
      <translation>Une carte de changement nécessite un second raster (après).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="259" />
      <source>Classification needs a labelled point/polygon layer.</source>
      <translation>La classification nécessite une couche de points/polygones étiquetée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="269" />
      <source>The output file must end in .tif.</source>
      <translation>Le fichier de sortie doit se terminer par .tif.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="353" />
      <source>Started '{0}': progress is in the task bar at the bottom of the QGIS window; layers are added when it finishes.</source>
      <translation>« {0} » lancé : la progression s'affiche dans la barre des tâches en bas de la fenêtre de QGIS ; les couches sont ajoutées à la fin.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="202" />
      <source>{0} point(s) picked</source>
      <translation>{0} point(s) choisi(s)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="226" />
      <source>Missing Python packages: {0}. Install with: {1}</source>
      <translation>Paquets Python manquants : {0}. Installez-les avec : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="253" />
      <source>The second raster must differ from the first.</source>
      <translation>Le second raster doit être différent du premier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="261" />
      <source>The labelled layer must be a vector file on disk.</source>
      <translation>La couche étiquetée doit être un fichier vecteur sur le disque.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="232" />
      <source>Layer '{0}' is not a local raster file; save it as GeoTIFF first.</source>
      <translation>La couche « {0} » n'est pas un fichier raster local ; enregistrez-la d'abord en GeoTIFF.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="263" />
      <source>Choose the class field of the labelled layer.</source>
      <translation>Choisissez le champ de classe de la couche étiquetée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="272" />
      <source>The output folder {0} does not exist.</source>
      <translation>Le dossier de sortie {0} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="241" />
      <source>Model file {0} does not exist.</source>
      <translation>Le fichier de modèle {0} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="255" />
      <source>Layer '{0}' is not a local raster file.</source>
      <translation>La couche « {0} » n'est pas un fichier raster local.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="11" />
      <source>Default model (bundled)</source>
      <translation>Modèle par défaut (fourni)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="26" />
      <source>Embeddings</source>
      <translation>Plongements</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="27" />
      <source>PCA (RGB of components 1-3)</source>
      <translation>ACP (RVB des composantes 1 à 3)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="28" />
      <source>Clusters</source>
      <translation>Groupes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="29" />
      <source>Similarity</source>
      <translation>Similarité</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="30" />
      <source>Change</source>
      <translation>Changement</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="31" />
      <source>Classes</source>
      <translation>Classes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="32" />
      <source>Classification confidence</source>
      <translation>Confiance de la classification</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="158" />
      <source>Cluster</source>
      <translation>Groupe</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="160" />
      <source>Class</source>
      <translation>Classe</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="31" />
      <source>&amp;SMARTIES</source>
      <translation>&amp;SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="49" />
      <source>SMARTIES - spectral foundation model…</source>
      <translation>SMARTIES - modèle de fondation spectral…</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="52" />
      <source>Embeddings, PCA, clusters, similarity, change or classification maps from any multispectral or SAR raster</source>
      <translation>Cartes de plongements, ACP, groupes, similarité, changement ou classification à partir de tout raster multispectral ou radar</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="56" />
      <source>SMARTIES</source>
      <translation>SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="124" />
      <source>SMARTIES: missing Python packages</source>
      <translation>SMARTIES : paquets Python manquants</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="39" />
      <source>Processing provider not available: {0}</source>
      <translation>Fournisseur Traitement indisponible : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="44" />
      <source>Processing provider not registered: {0}</source>
      <translation>Fournisseur Traitement non enregistré : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="53" />
      <source>SMARTIES needs the Python packages {0} in QGIS's Python. Install them with: {1}</source>
      <translation>SMARTIES a besoin des paquets Python {0} dans le Python de QGIS. Installez-les avec : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="106" />
      <source>Foundation model</source>
      <translation>Modèle de fondation</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="106" />
      <source>Bands</source>
      <translation>Bandes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="188" />
      <source>Estimate: {0}</source>
      <translation>Estimation : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="192" />
      <source>Cancelled; no output was written.</source>
      <translation>Annulé ; aucune sortie n'a été écrite.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="208" />
      <source>The engine reported '{0}' but did not write it.</source>
      <translation>Le moteur a annoncé « {0} » mais ne l'a pas écrit.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="75" />
      <source>Could not style '{0}': {1}</source>
      <translation>Impossible d'appliquer le style à « {0} » : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="191" />
      <source>Cancelled: {0}</source>
      <translation>Annulé : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/change.py" line="13" />
      <source>Change between two rasters</source>
      <translation>Changement entre deux rasters</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/change.py" line="14" />
      <source>Change magnitude</source>
      <translation>Amplitude du changement</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="30" />
      <source>Classify from labelled points/polygons</source>
      <translation>Classification à partir de points/polygones étiquetés</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="41" />
      <source>Random seed</source>
      <translation>Graine aléatoire</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="35" />
      <source>Labelled points or polygons</source>
      <translation>Points ou polygones étiquetés</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="39" />
      <source>Classifier</source>
      <translation>Classifieur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="49" />
      <source>Confidence</source>
      <translation>Confiance</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="51" />
      <source>Classification report</source>
      <translation>Rapport de classification</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="51" />
      <source>HTML files (*.html)</source>
      <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="53" />
      <source>Trained classifier head</source>
      <translation>Tête de classification entraînée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="67" />
      <source>The engine wrote no confidence raster.</source>
      <translation>Le moteur n'a écrit aucun raster de confiance.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="74" />
      <source>Files</source>
      <translation>Fichiers</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="74" />
      <source>Settings</source>
      <translation>Paramètres</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="79" />
      <source>SMARTIES classification</source>
      <translation>Classification SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="75" />
      <source>input</source>
      <translation>entrée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="75" />
      <source>labels field</source>
      <translation>champ des étiquettes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="76" />
      <source>classifier</source>
      <translation>classifieur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="76" />
      <source>model</source>
      <translation>modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="76" />
      <source>window</source>
      <translation>fenêtre</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="78" />
      <source>Report</source>
      <translation>Rapport</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/clusters.py" line="16" />
      <source>Clusters (k-means or HDBSCAN)</source>
      <translation>Groupes (k-moyennes ou HDBSCAN)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/clusters.py" line="26" />
      <source>HDBSCAN: smallest cluster, in sample tokens (0 = automatic)</source>
      <translation>HDBSCAN : plus petit groupe, en jetons de l'échantillon (0 = automatique)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/clusters.py" line="21" />
      <source>Number of clusters (K)</source>
      <translation>Nombre de groupes (K)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/clusters.py" line="22" />
      <source>Method (hdbscan finds the number of clusters itself; K is then unused)</source>
      <translation>Méthode (hdbscan trouve lui-même le nombre de groupes ; K est alors ignoré)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="8" />
      <source>&lt;p&gt;&lt;b&gt;Bands&lt;/b&gt; (one entry per band of the input raster, in file order, separated by commas). Leave empty to identify the bands from the file (band descriptions, GDAL metadata, file name) or from the chosen &lt;b&gt;Sensor&lt;/b&gt; preset. Each entry is one of:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;a band name of the sensor preset: &lt;code&gt;B02,B03,B04,B08&lt;/code&gt;&lt;/li&gt;&lt;li&gt;a preset band from any sensor: &lt;code&gt;sentinel2:B04&lt;/code&gt;, &lt;code&gt;landsat8:B10&lt;/code&gt;&lt;/li&gt;&lt;li&gt;a wavelength range: &lt;code&gt;634-696nm&lt;/code&gt; or &lt;code&gt;0.634-0.696um&lt;/code&gt;&lt;/li&gt;&lt;li&gt;a SAR polarisation: &lt;code&gt;VV&lt;/code&gt;, &lt;code&gt;VH&lt;/code&gt;&lt;/li&gt;&lt;li&gt;&lt;code&gt;skip&lt;/code&gt; to leave that band out&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Example for a 5-band file whose last band is a cloud mask: &lt;code&gt;sentinel2:B04,sentinel2:B03,sentinel2:B02,634-696nm,skip&lt;/code&gt;. Writing the bands as text keeps them with the parameters, so batch runs and models carry the wavelengths. Run &lt;i&gt;Inspect bands&lt;/i&gt; first to see how each band maps to a projection layer of the model.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Bandes&lt;/b&gt; (une entrée par bande du raster d'entrée, dans l'ordre du fichier, séparées par des virgules). Laissez vide pour identifier les bandes à partir du fichier (descriptions des bandes, métadonnées GDAL, nom du fichier) ou du &lt;b&gt;Capteur&lt;/b&gt; prédéfini choisi. Chaque entrée est l'une des formes suivantes :&lt;/p&gt;&lt;ul&gt;&lt;li&gt;un nom de bande du capteur prédéfini : &lt;code&gt;B02,B03,B04,B08&lt;/code&gt;&lt;/li&gt;&lt;li&gt;une bande prédéfinie de n'importe quel capteur : &lt;code&gt;sentinel2:B04&lt;/code&gt;, &lt;code&gt;landsat8:B10&lt;/code&gt;&lt;/li&gt;&lt;li&gt;un intervalle de longueurs d'onde : &lt;code&gt;634-696nm&lt;/code&gt; ou &lt;code&gt;0.634-0.696um&lt;/code&gt;&lt;/li&gt;&lt;li&gt;une polarisation radar : &lt;code&gt;VV&lt;/code&gt;, &lt;code&gt;VH&lt;/code&gt;&lt;/li&gt;&lt;li&gt;&lt;code&gt;skip&lt;/code&gt; pour écarter cette bande&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Exemple pour un fichier de 5 bandes dont la dernière est un masque de nuages : &lt;code&gt;sentinel2:B04,sentinel2:B03,sentinel2:B02,634-696nm,skip&lt;/code&gt;. Écrites sous forme de texte, les bandes restent dans les paramètres : les traitements par lots et les modèles de traitement conservent ainsi les longueurs d'onde. Exécutez d'abord &lt;i&gt;Inspecter les bandes&lt;/i&gt; pour voir à quelle couche de projection du modèle correspond chaque bande.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="23" />
      <source>&lt;p&gt;&lt;b&gt;Model&lt;/b&gt;: &lt;code&gt;default&lt;/code&gt; (the model bundled with the plugin), a registry id (e.g. &lt;code&gt;smarties-v1-vitb&lt;/code&gt;) or the path of a &lt;code&gt;.safetensors&lt;/code&gt;/&lt;code&gt;.pt&lt;/code&gt; checkpoint in the SMARTIES layout.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Window&lt;/b&gt;, &lt;b&gt;overlap&lt;/b&gt; and &lt;b&gt;batch size&lt;/b&gt; (advanced) control the sliding window: the window is a multiple of 16 pixels, neighbouring windows share the overlap fraction and are blended without seams. &lt;b&gt;Extent&lt;/b&gt; limits processing to an area (any CRS; it is transformed to the raster's CRS). &lt;b&gt;Device&lt;/b&gt; &lt;code&gt;auto&lt;/code&gt; uses a CUDA GPU when there is one.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Modèle&lt;/b&gt; : &lt;code&gt;default&lt;/code&gt; (le modèle fourni avec l'extension), un identifiant du registre (par ex. &lt;code&gt;smarties-v1-vitb&lt;/code&gt;) ou le chemin d'un fichier de poids &lt;code&gt;.safetensors&lt;/code&gt;/&lt;code&gt;.pt&lt;/code&gt; au format SMARTIES.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fenêtre&lt;/b&gt;, &lt;b&gt;recouvrement&lt;/b&gt; et &lt;b&gt;taille de lot&lt;/b&gt; (paramètres avancés) règlent la fenêtre glissante : la fenêtre est un multiple de 16 pixels, les fenêtres voisines se recouvrent de la fraction indiquée et sont fusionnées sans raccord visible. &lt;b&gt;Emprise&lt;/b&gt; limite le traitement à une zone (dans n'importe quel SCR ; elle est reprojetée dans le SCR du raster). &lt;b&gt;Périphérique&lt;/b&gt; &lt;code&gt;auto&lt;/code&gt; utilise un GPU CUDA s'il y en a un.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="33" />
      <source>&lt;p&gt;Token-grid products have one pixel per 16x16 input pixels (the model's patch), on the input raster's grid and CRS, unless &lt;i&gt;Resample to the input grid&lt;/i&gt; is checked.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Les produits sur la grille des jetons ont un pixel pour 16x16 pixels d'entrée (le patch du modèle), alignés sur la grille et dans le SCR du raster d'entrée, sauf si &lt;i&gt;Rééchantillonner le résultat sur la grille d'entrée&lt;/i&gt; est coché.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="39" />
      <source>&lt;p&gt;Runs the SMARTIES encoder over the raster and writes its patch embeddings: one band per feature dimension, one pixel per 16x16 input pixels. Use them as input for your own classifiers, clustering or similarity search.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Exécute l'encodeur SMARTIES sur le raster et écrit ses plongements de patchs : une bande par dimension de caractéristique, un pixel pour 16x16 pixels d'entrée. Utilisez-les comme entrée de vos propres classifieurs, regroupements ou recherches par similarité.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="44" />
      <source>&lt;p&gt;Projects the embeddings on their first three principal components and writes a 3-band raster (components 1, 2 and 3) that shows as an RGB image where similar land cover gets similar colours.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Projette les plongements sur leurs trois premières composantes principales et écrit un raster de 3 bandes (composantes 1, 2 et 3) qui s'affiche comme une image RVB où des occupations du sol semblables prennent des couleurs semblables.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="49" />
      <source>&lt;p&gt;Groups the embeddings into &lt;b&gt;K&lt;/b&gt; clusters with k-means, or with &lt;b&gt;HDBSCAN&lt;/b&gt; (method &lt;code&gt;hdbscan&lt;/code&gt;: finds the number of clusters from the density of the embeddings; tokens in no dense group form the &lt;i&gt;unclustered&lt;/i&gt; class), and writes the cluster number of each token: an unsupervised land-cover map.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Regroupe les plongements en &lt;b&gt;K&lt;/b&gt; groupes par k-moyennes, ou avec &lt;b&gt;HDBSCAN&lt;/b&gt; (méthode &lt;code&gt;hdbscan&lt;/code&gt; : trouve le nombre de groupes d'après la densité des plongements ; les jetons hors de tout groupe dense forment la classe &lt;i&gt;non groupé&lt;/i&gt;), et écrit le numéro de groupe de chaque jeton : une carte d'occupation du sol non supervisée.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="55" />
      <source>&lt;p&gt;Writes the cosine similarity (-1 to 1) between every token's embedding and the mean embedding under the &lt;b&gt;reference&lt;/b&gt;: the features of a point/polygon layer, or one point picked on the map. High values mark places that look like the reference.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Écrit la similarité cosinus (-1 à 1) entre le plongement de chaque jeton et le plongement moyen sous la &lt;b&gt;référence&lt;/b&gt; : les entités d'une couche de points/polygones, ou un point choisi sur la carte. Les valeurs élevées signalent les lieux qui ressemblent à la référence.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="60" />
      <source>&lt;p&gt;Compares the embeddings of two co-registered rasters (before and after) and writes the change magnitude (cosine distance, 0 = same, up to 2) per token. The second raster is resampled onto the first one's grid when the grids differ. Both rasters use the same sensor/bands settings unless &lt;i&gt;Bands of the second raster&lt;/i&gt; is given.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Compare les plongements de deux rasters recalés (avant et après) et écrit l'amplitude du changement (distance cosinus, 0 = identique, jusqu'à 2) par jeton. Le second raster est rééchantillonné sur la grille du premier lorsque les grilles diffèrent. Les deux rasters utilisent les mêmes réglages de capteur et de bandes, sauf si &lt;i&gt;Bandes du second raster&lt;/i&gt; est renseigné.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="66" />
      <source>&lt;p&gt;Trains a light classifier (logistic regression, k-nearest neighbours, random forest or a small MLP; scikit-learn) on the embeddings under the labelled points/polygons of a vector layer and writes the class of every token, the classifier's confidence (0 to 1) and an HTML report (classes, samples, validation accuracy).&lt;/p&gt;</source>
      <translation>&lt;p&gt;Entraîne un classifieur léger (régression logistique, k plus proches voisins, forêt aléatoire ou petit MLP ; scikit-learn) sur les plongements sous les points/polygones étiquetés d'une couche vecteur et écrit la classe de chaque jeton, la confiance du classifieur (0 à 1) et un rapport HTML (classes, échantillons, précision de validation).&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="72" />
      <source>&lt;p&gt;Identifies every band of the raster (from band descriptions, metadata, the file name, the sensor preset or your &lt;b&gt;Bands&lt;/b&gt; list) and shows which projection layer of the model each band uses: trained, nearest, interpolated or unsupported. Writes the table as an HTML file and returns it as text and as JSON. Needs no model and no torch.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Identifie chaque bande du raster (à partir des descriptions de bandes, des métadonnées, du nom du fichier, du capteur prédéfini ou de votre liste de &lt;b&gt;Bandes&lt;/b&gt;) et indique quelle couche de projection du modèle chaque bande utilise : entraînée, la plus proche, interpolée ou non prise en charge. Écrit le tableau dans un fichier HTML et le renvoie en texte et en JSON. Ne nécessite ni modèle ni torch.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="81" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: float32 GeoTIFF, one band per embedding dimension.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF float32, une bande par dimension des plongements.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="82" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: 3-band float32 GeoTIFF (principal components 1-3).&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF float32 de 3 bandes (composantes principales 1 à 3).&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="83" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: single-band integer GeoTIFF of cluster numbers.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF entier à une bande des numéros de groupe.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="84" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: single-band float32 GeoTIFF of cosine similarity.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF float32 à une bande de la similarité cosinus.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="85" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: single-band float32 GeoTIFF of change magnitude.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF float32 à une bande de l'amplitude du changement.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="86" />
      <source>&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: class raster (integer class codes; names in the raster attribute table/metadata), confidence raster (float32, 0-1), HTML report.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sorties&lt;/b&gt; : raster des classes (codes de classe entiers ; noms dans la table attributaire du raster ou ses métadonnées), raster de confiance (float32, 0-1), rapport HTML.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="90" />
      <source>&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: HTML band table, the table as text (&lt;code&gt;TABLE&lt;/code&gt;) and the decisions as JSON (&lt;code&gt;DECISIONS&lt;/code&gt;).&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sorties&lt;/b&gt; : tableau des bandes en HTML, le même tableau en texte (&lt;code&gt;TABLE&lt;/code&gt;) et les décisions en JSON (&lt;code&gt;DECISIONS&lt;/code&gt;).&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="108" />
      <source>(not installed)</source>
      <translation>(non installé)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="110" />
      <source>Registered models:</source>
      <translation>Modèles enregistrés :</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="96" />
      <source>Inspect bands</source>
      <translation>Inspecter les bandes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="102" />
      <source>Allow bands outside the model's spectrum (nearest layer)</source>
      <translation>Autoriser les bandes hors du spectre du modèle (couche la plus proche)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="105" />
      <source>Band table</source>
      <translation>Tableau des bandes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="106" />
      <source>Band table (text)</source>
      <translation>Tableau des bandes (texte)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="107" />
      <source>Decisions (JSON)</source>
      <translation>Décisions (JSON)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="129" />
      <source>Model decisions</source>
      <translation>Décisions du modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="114" />
      <source>the extra band file '{0}'</source>
      <translation>le fichier de bande supplémentaire « {0} »</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="127" />
      <source>Bands of {0}</source>
      <translation>Bandes de {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/inspect_bands.py" line="130" />
      <source>SMARTIES bands: {0}</source>
      <translation>Bandes SMARTIES : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="106" />
      <source>Raster (before)</source>
      <translation>Raster (avant)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="106" />
      <source>Raster</source>
      <translation>Raster</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="111" />
      <source>Extra single-band files stacked after the raster's bands (same grid)</source>
      <translation>Fichiers monobandes supplémentaires empilés après les bandes du raster (même grille)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="129" />
      <source>Window size in pixels (multiple of 16)</source>
      <translation>Taille de la fenêtre en pixels (multiple de 16)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="133" />
      <source>Overlap between windows (fraction)</source>
      <translation>Recouvrement entre fenêtres (fraction)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="137" />
      <source>Batch size (windows per step)</source>
      <translation>Taille de lot (fenêtres par étape)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="149" />
      <source>Minimum share of valid pixels in a 16x16 token (smaller: nodata)</source>
      <translation>Part minimale de pixels valides dans un jeton de 16x16 (en dessous : nodata)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="159" />
      <source>the input raster</source>
      <translation>le raster d'entrée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="265" />
      <source>the second raster (after)</source>
      <translation>le second raster (après)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="114" />
      <source>Sensor (band preset)</source>
      <translation>Capteur (bandes prédéfinies)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="116" />
      <source>Bands, in file order (e.g. B02,B03,B04,B08 or sentinel2:B04,634-696nm,skip; empty = identify from the file)</source>
      <translation>Bandes, dans l'ordre du fichier (par ex. B02,B03,B04,B08 ou sentinel2:B04,634-696nm,skip ; vide = identifier depuis le fichier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="126" />
      <source>Model (default, a registry id or a checkpoint file)</source>
      <translation>Modèle (default, un identifiant du registre ou un fichier de poids)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="127" />
      <source>Process only this extent</source>
      <translation>Traiter uniquement cette emprise</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="109" />
      <source>Raster (after)</source>
      <translation>Raster (après)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="120" />
      <source>Bands of the second raster (empty = same as the first)</source>
      <translation>Bandes du second raster (vide = comme le premier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="146" />
      <source>Result on the input's pixel grid (unticked: one pixel per 16x16 input pixels, clipped to the input extent)</source>
      <translation>Résultat sur la grille de pixels de l'entrée (décoché : un pixel pour 16x16 pixels d'entrée, limité à l'emprise de l'entrée)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="162" />
      <source>Could not load {0}. Choose a raster layer or a GeoTIFF file.</source>
      <translation>Impossible de charger {0}. Choisissez une couche raster ou un fichier GeoTIFF.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="165" />
      <source>Cannot read {0} '{1}': it comes from the '{2}' provider, not from a file. SMARTIES reads rasters with GDAL: save the layer as a GeoTIFF first (right-click the layer &gt; Export &gt; Save As...) and run the algorithm on that file.</source>
      <translation>Impossible de lire {0} « {1} » : il provient du fournisseur « {2} », pas d'un fichier. SMARTIES lit les rasters avec GDAL : enregistrez d'abord la couche en GeoTIFF (clic droit sur la couche &gt; Exporter &gt; Sauvegarder sous...) et exécutez l'algorithme sur ce fichier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="190" />
      <source>No file given for output {0}.</source>
      <translation>Aucun fichier indiqué pour la sortie {0}.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="193" />
      <source>Output {0} '{1}' is not a GeoTIFF. SMARTIES writes GeoTIFF only: use a .tif file name.</source>
      <translation>La sortie {0} « {1} » n'est pas un GeoTIFF. SMARTIES n'écrit que du GeoTIFF : utilisez un nom de fichier en .tif.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="213" />
      <source>Layer '{0}' must contain points or polygons.</source>
      <translation>La couche « {0} » doit contenir des points ou des polygones.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="231" />
      <source>Could not write a temporary copy of '{0}': {1}</source>
      <translation>Impossible d'écrire une copie temporaire de « {0} » : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="252" />
      <source>Layer '{0}' has no features with a geometry (check 'Selected features only').</source>
      <translation>La couche « {0} » n'a aucune entité avec une géométrie (vérifiez « Entité(s) sélectionnée(s) uniquement »).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="220" />
      <source>The field '{0}' is not in layer '{1}'. Choose one of: {2}.</source>
      <translation>Le champ « {0} » n'existe pas dans la couche « {1} ». Choisissez parmi : {2}.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="270" />
      <source>Bands '{0}': {1}</source>
      <translation>Bandes « {0} » : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/pca.py" line="13" />
      <source>PCA of embeddings (RGB)</source>
      <translation>ACP des plongements (RVB)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/pca.py" line="14" />
      <source>PCA (components 1-3)</source>
      <translation>ACP (composantes 1 à 3)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/provider.py" line="77" />
      <source>QGIS refused to register the SMARTIES Processing provider.</source>
      <translation>QGIS a refusé d'enregistrer le fournisseur Traitement SMARTIES.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/provider.py" line="42" />
      <source>SMARTIES spectral foundation model</source>
      <translation>Modèle de fondation spectral SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/provider.py" line="43" />
      <source>SMARTIES spectral foundation model {0}</source>
      <translation>Modèle de fondation spectral SMARTIES {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/similarity.py" line="16" />
      <source>Similarity to a reference</source>
      <translation>Similarité avec une référence</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/similarity.py" line="21" />
      <source>Reference points or polygons</source>
      <translation>Points ou polygones de référence</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/similarity.py" line="24" />
      <source>Reference point (when no reference layer)</source>
      <translation>Point de référence (en l'absence de couche de référence)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/similarity.py" line="26" />
      <source>Several references: mean (one reference) or max (best match of each place)</source>
      <translation>Plusieurs références : moyenne (une seule référence) ou max (meilleure correspondance de chaque lieu)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/similarity.py" line="33" />
      <source>Give a reference: a point/polygon layer or a point on the map.</source>
      <translation>Indiquez une référence : une couche de points/polygones ou un point sur la carte.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="51" />
      <source>Out of memory: lower the batch size or the window size in Advanced settings.</source>
      <translation>Mémoire insuffisante : réduisez la taille de lot ou la taille de fenêtre dans les paramètres avancés.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="88" />
      <source>Run '{0}' finished: {1} layer(s) added.</source>
      <translation>Exécution « {0} » terminée : {1} couche(s) ajoutée(s).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="21" />
      <source>SMARTIES: {0}</source>
      <translation>SMARTIES : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="54" />
      <source>Unexpected error: {0}</source>
      <translation>Erreur inattendue : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="75" />
      <source>The run stopped without a message.</source>
      <translation>L'exécution s'est arrêtée sans message.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="92" />
      <source>Other files: {0}</source>
      <translation>Autres fichiers : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="71" />
      <source>Run '{0}' cancelled; no output was written.</source>
      <translation>Exécution « {0} » annulée ; aucune sortie n'a été écrite.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="77" />
      <source>Run '{0}' failed: {1} (details in the Log Messages panel, tab SMARTIES)</source>
      <translation>Échec de l'exécution « {0} » : {1} (détails dans le panneau Journal des messages, onglet SMARTIES)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="14" />
      <source>Use</source>
      <translation>Utiliser</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="14" />
      <source>Band</source>
      <translation>Bande</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="14" />
      <source>Description</source>
      <translation>Description</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="14" />
      <source>Name</source>
      <translation>Nom</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="14" />
      <source>Centre (nm)</source>
      <translation>Centre (nm)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="15" />
      <source>Min (nm)</source>
      <translation>Min (nm)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="15" />
      <source>Max (nm)</source>
      <translation>Max (nm)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="15" />
      <source>Source</source>
      <translation>Source</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="15" />
      <source>Model decision</source>
      <translation>Décision du modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="17" />
      <source>file metadata</source>
      <translation>métadonnées du fichier</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="17" />
      <source>band name</source>
      <translation>nom de bande</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="18" />
      <source>file name</source>
      <translation>nom de fichier</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="18" />
      <source>preset</source>
      <translation>capteur prédéfini</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="18" />
      <source>user</source>
      <translation>utilisateur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="19" />
      <source>not identified</source>
      <translation>non identifiée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="97" />
      <source>Wavelength in nm; type µm (e.g. 0.665 µm) and it is converted.</source>
      <translation>Longueur d'onde en nm ; saisissez des µm (par ex. 0.665 µm) et elle est convertie.</translation>
    </message>
  </context>
</TS>
