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
      <source>optional ONNX Runtime backend</source>
      <translation>moteur ONNX Runtime facultatif</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="92" />
      <source>SMARTIES needs Python packages that this QGIS does not have:</source>
      <translation>SMARTIES a besoin de paquets Python absents de ce QGIS :</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="96" />
      <source>Close QGIS, run this command in a terminal, then restart QGIS:</source>
      <translation>Fermez QGIS, exécutez cette commande dans un terminal, puis relancez QGIS :</translation>
    </message>
    <message>
      <location filename="../eo_plugin/deps.py" line="99" />
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
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="54" />
      <source>SMARTIES - spectral foundation model</source>
      <translation>SMARTIES - modèle de fondation spectral</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="228" />
      <source>Choose an input raster layer.</source>
      <translation>Choisissez une couche raster d'entrée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="242" />
      <source>Similarity needs reference points: pick them on the map or choose a point/polygon layer.</source>
      <translation>La similarité nécessite des points de référence : choisissez-les sur la carte ou sélectionnez une couche de points/polygones.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="245" />
      <source>The reference layer must be a vector file on disk.</source>
      <translation>La couche de référence doit être un fichier vecteur sur le disque.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="264" />
      <source>Choose an output file (.tif).</source>
      <translation>Choisissez un fichier de sortie (.tif).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="272" />
      <source>The window must be a multiple of 16 pixels.</source>
      <translation>La fenêtre doit être un multiple de 16 pixels.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="143" />
      <source>Unticked band(s) {0}: the model has no projection layer for them.</source>
      <translation>Bande(s) décochée(s) {0} : le modèle n'a pas de couche de projection pour elles.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="237" />
      <source>Choose a model file or pick a listed model.</source>
      <translation>Choisissez un fichier de modèle ou un modèle de la liste.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="249" />
      <source>A change map needs a second raster (after).</source>
      <translation>Une carte de changement nécessite un second raster (après).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="257" />
      <source>Classification needs a labelled point/polygon layer.</source>
      <translation>La classification nécessite une couche de points/polygones étiquetée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="267" />
      <source>The output file must end in .tif.</source>
      <translation>Le fichier de sortie doit se terminer par .tif.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="351" />
      <source>Started '{0}': progress is in the task bar at the bottom of the QGIS window; layers are added when it finishes.</source>
      <translation>« {0} » lancé : la progression s'affiche dans la barre des tâches en bas de la fenêtre de QGIS ; les couches sont ajoutées à la fin.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="200" />
      <source>{0} point(s) picked</source>
      <translation>{0} point(s) choisi(s)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="224" />
      <source>Missing Python packages: {0}. Install with: {1}</source>
      <translation>Paquets Python manquants : {0}. Installez-les avec : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="251" />
      <source>The second raster must differ from the first.</source>
      <translation>Le second raster doit être différent du premier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="259" />
      <source>The labelled layer must be a vector file on disk.</source>
      <translation>La couche étiquetée doit être un fichier vecteur sur le disque.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="230" />
      <source>Layer '{0}' is not a local raster file; save it as GeoTIFF first.</source>
      <translation>La couche « {0} » n'est pas un fichier raster local ; enregistrez-la d'abord en GeoTIFF.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="261" />
      <source>Choose the class field of the labelled layer.</source>
      <translation>Choisissez le champ de classe de la couche étiquetée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="270" />
      <source>The output folder {0} does not exist.</source>
      <translation>Le dossier de sortie {0} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="239" />
      <source>Model file {0} does not exist.</source>
      <translation>Le fichier de modèle {0} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="253" />
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
