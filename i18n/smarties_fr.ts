<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
  <context>
    <name>smarties</name>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="27" />
      <source>Use the nearest layer for bands outside the trained spectrum</source>
      <translation>Utiliser la couche la plus proche pour les bandes hors du spectre d'entraînement</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="50" />
      <source>{0} lies between two trained layers: mixes {1}.</source>
      <translation>{0} se situe entre deux couches entraînées : mélange {1}.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="40" />
      <source>{0}: the model has no layer for this band: untick it.</source>
      <translation>{0} : le modèle n'a pas de couche pour cette bande : décochez-la.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="43" />
      <source>{0} is outside the trained spectrum: uses the nearest layer {1} (extrapolation works poorly; untick '{2}' to refuse it).</source>
      <translation>{0} est hors du spectre entraîné : utilise la couche la plus proche {1} (l'extrapolation fonctionne mal ; décochez « {2} » pour la refuser).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="46" />
      <source>{0} matches the trained layer {1}.</source>
      <translation>{0} correspond à la couche entraînée {1}.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="48" />
      <source>{0} takes the nearest trained layer {1} as it is.</source>
      <translation>{0} prend telle quelle la couche entraînée la plus proche, {1}.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="64" />
      <source>{0} lies outside the model's spectrum (422-2376 nm optical, 8-15 µm thermal, C-band radar): untick it, or tick '{1}' (Advanced) to use the nearest layer.</source>
      <translation>{0} est hors du spectre du modèle (422-2376 nm optique, 8-15 µm thermique, radar bande C) : décochez-la, ou cochez « {1} » (Avancé) pour utiliser la couche la plus proche.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="39" />
      <source>{0}: a cirrus (atmosphere) band; the model has no layer for it: untick it.</source>
      <translation>{0} : une bande cirrus (atmosphère) ; le modèle n'a pas de couche pour elle : décochez-la.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="58" />
      <source>{0} is a C-band radar band: type its polarization (VV or VH) in the Name column.</source>
      <translation>{0} est une bande radar en bande C : saisissez sa polarisation (VV ou VH) dans la colonne Nom.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/band_explain.py" line="61" />
      <source>{0} is a radar band outside C-band (e.g. L- or X-band): the model only knows C-band (Sentinel-1), and reading it as C-band would mislead: untick it.</source>
      <translation>{0} est une bande radar hors bande C (par ex. bande L ou X) : le modèle ne connaît que la bande C (Sentinel-1), et la lire comme bande C induirait en erreur : décochez-la.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="258" />
      <source>tick 'Use the nearest layer for bands outside the trained spectrum' (Advanced)</source>
      <translation>cochez « Utiliser la couche la plus proche pour les bandes hors du spectre d'entraînement » (Avancé)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="223" />
      <source>unsupported</source>
      <translation>non prise en charge</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="192" />
      <source>excluded</source>
      <translation>exclue</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="192" />
      <source>This band is not given to the model.</source>
      <translation>Cette bande n'est pas transmise au modèle.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="195" />
      <source>no wavelength</source>
      <translation>sans longueur d'onde</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="235" />
      <source> (reference mapping)</source>
      <translation> (correspondance de référence)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="269" />
      <source>The input raster has no bands.</source>
      <translation>Le raster d'entrée n'a aucune bande.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="271" />
      <source>No band is ticked: include at least one band.</source>
      <translation>Aucune bande n'est cochée : incluez au moins une bande.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="277" />
      <source>pick its band of the chosen preset in the Name column (double-click the cell)</source>
      <translation>choisissez sa bande du préréglage dans la colonne Nom (double-clic sur la cellule)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="279" />
      <source>choose the sensor preset first, then pick each band's name in the Name column</source>
      <translation>choisissez d'abord le préréglage du capteur, puis le nom de chaque bande dans la colonne Nom</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="201" />
      <source>unknown</source>
      <translation>inconnue</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="201" />
      <source>The engine's spectral module is not available.</source>
      <translation>Le module spectral du moteur n'est pas disponible.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="229" />
      <source>trained: {0}</source>
      <translation>entraînée : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="232" />
      <source>nearest: {0}</source>
      <translation>la plus proche : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="234" />
      <source>interpolated: {0}</source>
      <translation>interpolée : {0}</translation>
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
      <location filename="../eo_plugin/bands_model.py" line="196" />
      <source>Band {0} has no wavelength range: enter its min and max (nm) or choose a sensor preset.</source>
      <translation>La bande {0} n'a pas d'intervalle de longueurs d'onde : saisissez son minimum et son maximum (nm) ou choisissez un capteur prédéfini.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="281" />
      <source>No band is identified: {0}, or type each band's wavelength range (Min/Max, nm or µm).</source>
      <translation>Aucune bande n'est identifiée : {0}, ou saisissez la plage de chaque bande (Min/Max, nm ou µm).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="284" />
      <source>Band(s) {0} have no wavelength range: {1}, type the Min/Max wavelength, or untick them.</source>
      <translation>Bande(s) {0} sans plage de longueurs d'onde : {1}, saisissez le Min/Max ou décochez-les.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="290" />
      <source>Band {0}: minimum wavelength {1} nm is above the maximum {2} nm.</source>
      <translation>Bande {0} : la longueur d'onde minimale {1} nm dépasse la maximale {2} nm.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="295" />
      <source>Band {0} ({1}): {2}</source>
      <translation>Bande {0} ({1}) : {2}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/bands_model.py" line="320" />
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
      <location filename="../eo_plugin/dialogs/checks.py" line="127" />
      <source>Model file {0} is damaged or incomplete (not a readable {1} file): download or export it again.</source>
      <translation>Le fichier de modèle {0} est endommagé ou incomplet (pas un fichier {1} lisible) : téléchargez-le ou exportez-le de nouveau.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="91" />
      <source>their extents differ</source>
      <translation>leurs emprises diffèrent</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="123" />
      <source>Choose a model file or pick a listed model.</source>
      <translation>Choisissez un fichier de modèle ou un modèle de la liste.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="30" />
      <source>Choose an output file (.tif).</source>
      <translation>Choisissez un fichier de sortie (.tif).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="37" />
      <source>The output file must end in .tif.</source>
      <translation>Le fichier de sortie doit se terminer par .tif.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="84" />
      <source>their coordinate systems differ ({0} and {1})</source>
      <translation>leurs systèmes de coordonnées diffèrent ({0} et {1})</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="86" />
      <source>their sizes differ ({0} x {1} and {2} x {3} px)</source>
      <translation>leurs tailles diffèrent ({0} x {1} et {2} x {3} px)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="116" />
      <source>The device '{0}' is not available on this computer: choose auto or cpu in Advanced.</source>
      <translation>Le périphérique « {0} » n'est pas disponible sur cet ordinateur : choisissez auto ou cpu dans Avancé.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="125" />
      <source>Model file {0} does not exist.</source>
      <translation>Le fichier de modèle {0} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="162" />
      <source>Result: {0} x {1} px at {2} {3} (input grid; {4} x {5} patches).</source>
      <translation>Résultat : {0} x {1} px à {2} {3} (grille de l'entrée ; {4} x {5} patchs).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="165" />
      <source>Result: {0} x {1} px at {2} {3} (one per 16 x 16 px patch, ending at the input's edge).</source>
      <translation>Résultat : {0} x {1} px à {2} {3} (un par patch de 16 x 16 px, s'arrêtant au bord de l'entrée).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="32" />
      <source>The output '{0}' is a relative path: give the full path (use the … button).</source>
      <translation>La sortie « {0} » est un chemin relatif : donnez le chemin complet (bouton …).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="35" />
      <source>The output {0} is a folder: add a file name ending in .tif.</source>
      <translation>La sortie {0} est un dossier : ajoutez un nom de fichier se terminant par .tif.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="40" />
      <source>The output folder {0} does not exist.</source>
      <translation>Le dossier de sortie {0} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="42" />
      <source>You cannot write to the folder {0}: choose another output folder.</source>
      <translation>Vous ne pouvez pas écrire dans le dossier {0} : choisissez un autre dossier de sortie.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="73" />
      <source>The extent lies outside the raster '{0}': choose an extent that overlaps it, or untick Extent to process the whole layer.</source>
      <translation>L'emprise est en dehors du raster « {0} » : choisissez une emprise qui le recoupe, ou décochez Emprise pour traiter toute la couche.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="76" />
      <source>The area to process is {0} x {1} px; SMARTIES reads 16 x 16 px patches and needs at least {2} x {2} px for a map. Choose a larger extent or raster.</source>
      <translation>La zone à traiter fait {0} x {1} px ; SMARTIES lit des patchs de 16 x 16 px et il faut au moins {2} x {2} px pour une carte. Choisissez une emprise ou un raster plus grand.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="168" />
      <source>Smaller than one {0} px window: seen once, edges mirrored.</source>
      <translation>Plus petit qu'une fenêtre de {0} px : vu une seule fois, bords complétés en miroir.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/checks.py" line="45" />
      <source>The output {0} is also an input raster: choose another output file.</source>
      <translation>La sortie {0} est aussi un raster en entrée : choisissez un autre fichier de sortie.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="50" />
      <source>PCA (3 principal components as RGB)</source>
      <translation>ACP (3 composantes principales en RVB)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="51" />
      <source>Clusters (k-means or HDBSCAN)</source>
      <translation>Groupes (k-moyennes ou HDBSCAN)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="52" />
      <source>Similarity to reference points</source>
      <translation>Similarité avec des points de référence</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="53" />
      <source>Change between two dates</source>
      <translation>Changement entre deux dates</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="54" />
      <source>Classification from labelled vector layer</source>
      <translation>Classification à partir d'une couche vecteur étiquetée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="55" />
      <source>Embeddings (one band per feature)</source>
      <translation>Plongements (une bande par caractéristique)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="56" />
      <source>Time series: seasonal embeddings and change profile</source>
      <translation>Série temporelle : plongements saisonniers et profil de changement</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="159" />
      <source>Run</source>
      <translation>Exécuter</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="189" />
      <source>Input raster and bands</source>
      <translation>Raster d'entrée et bandes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="195" />
      <source>Raster layer</source>
      <translation>Couche raster</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="200" />
      <source>Sensor preset</source>
      <translation>Capteur prédéfini</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="201" />
      <source>(identify from the file)</source>
      <translation>(identifier depuis le fichier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="204" />
      <source>Choose the sensor: with as many bands as the preset, every band gets the preset's wavelength range in file order; otherwise pick in the Name column which preset band each file band is.</source>
      <translation>Choisissez le capteur : avec autant de bandes que le préréglage, chaque bande reçoit la plage du préréglage dans l'ordre du fichier ; sinon choisissez dans la colonne Nom quelle bande du préréglage est chaque bande du fichier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="208" />
      <source>Auto-detect</source>
      <translation>Détection automatique</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="209" />
      <source>Identify each band from the file's metadata, band names and file name.</source>
      <translation>Identifier chaque bande à partir des métadonnées du fichier, des noms de bandes et du nom du fichier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="220" />
      <source>Product</source>
      <translation>Produit</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="236" />
      <source>input pixels (maps)</source>
      <translation>pixels de l'entrée (cartes)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="237" />
      <source>16 x 16 px patches (tokens)</source>
      <translation>patchs de 16 x 16 px (jetons)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="238" />
      <source>The model sees 16 x 16 px patches. Input resolution spreads its values over the input's pixels (maps); token resolution keeps one pixel per patch, clipped to the input's extent.</source>
      <translation>Le modèle voit des patchs de 16 x 16 px. La résolution de l'entrée répartit ses valeurs sur les pixels de l'entrée (cartes) ; la résolution des jetons garde un pixel par patch, limité à l'emprise de l'entrée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="241" />
      <source>Resolution</source>
      <translation>Résolution</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="246" />
      <source>Output</source>
      <translation>Sortie</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="250" />
      <source>GeoTIFF (*.tif *.tiff)</source>
      <translation>GeoTIFF (*.tif *.tiff)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="252" />
      <source>Output file</source>
      <translation>Fichier de sortie</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="263" />
      <source>Model file…</source>
      <translation>Fichier de modèle…</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="266" />
      <source>Download</source>
      <translation>Télécharger</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="267" />
      <source>Download the published weights from Hugging Face (needs internet).</source>
      <translation>Télécharger les poids publiés depuis Hugging Face (connexion Internet requise).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="272" />
      <source>Model files (*.safetensors *.pt *.pth *.onnx)</source>
      <translation>Fichiers de modèle (*.safetensors *.pt *.pth *.onnx)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="273" />
      <source>Model file</source>
      <translation>Fichier de modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="275" />
      <source>Model</source>
      <translation>Modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="285" />
      <source>Second sensor, fusion, model scale</source>
      <translation>Second capteur, fusion, échelle du modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="296" />
      <source>Extent</source>
      <translation>Emprise</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="297" />
      <source>Unticked: the whole layer.</source>
      <translation>Décoché : toute la couche.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="306" />
      <source>Advanced</source>
      <translation>Avancé</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="315" />
      <source> px</source>
      <translation> px</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="320" />
      <source>Overlap (fraction of the window)</source>
      <translation>Recouvrement (fraction de la fenêtre)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="331" />
      <source>reference (the reference's layers, else the nearest layer)</source>
      <translation>référence (les couches de la référence, sinon la couche la plus proche)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="332" />
      <source>published interpolation (farther layer weighs more)</source>
      <translation>interpolation publiée (la couche la plus éloignée pèse plus)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="333" />
      <source>linear interpolation (nearer layer weighs more)</source>
      <translation>interpolation linéaire (la couche la plus proche pèse plus)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="338" />
      <source>Patches (16 x 16 px) with fewer valid pixels than this become nodata, so half-empty patches along swath edges do not form their own cluster or colour.</source>
      <translation>Les patchs (16 x 16 px) ayant moins de pixels valides que cette part deviennent nodata, afin que les patchs à moitié vides en bord de fauchée ne forment pas leur propre groupe ou couleur.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="350" />
      <source>Keep the embeddings too</source>
      <translation>Garder aussi les plongements</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="351" />
      <source>Also keep the embeddings next to the output</source>
      <translation>Conserver aussi les plongements à côté de la sortie</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="373" />
      <source>Number of clusters (k)</source>
      <translation>Nombre de groupes (k)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="382" />
      <source>Pick points on the map</source>
      <translation>Choisir des points sur la carte</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="384" />
      <source>Clear</source>
      <translation>Effacer</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="385" />
      <source>No point picked</source>
      <translation>Aucun point choisi</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="395" />
      <source>or a layer</source>
      <translation>ou une couche</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="397" />
      <source>max over the references (each place stands out)</source>
      <translation>max sur les références (chaque lieu ressort)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="398" />
      <source>mean of the references (one reference)</source>
      <translation>moyenne des références (une seule référence)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="399" />
      <source>How several reference points or features are combined.</source>
      <translation>Comment plusieurs points ou entités de référence sont combinés.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="400" />
      <source>Combine</source>
      <translation>Combiner</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="414" />
      <source>Second raster (after)</source>
      <translation>Second raster (après)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="417" />
      <source>Align the second raster onto the first's grid</source>
      <translation>Aligner le second raster sur la grille du premier</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="418" />
      <source>When the two rasters' grids differ (origin, pixel size or CRS), the second is resampled onto the first's grid before the comparison.</source>
      <translation>Quand les grilles des deux rasters diffèrent (origine, taille de pixel ou SCR), le second est rééchantillonné sur la grille du premier avant la comparaison.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="434" />
      <source>Labelled layer</source>
      <translation>Couche étiquetée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="436" />
      <source>Class field</source>
      <translation>Champ de classe</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="341" />
      <source>Window</source>
      <translation>Fenêtre</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="341" />
      <source>Overlap</source>
      <translation>Recouvrement</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="342" />
      <source>Batch size</source>
      <translation>Taille de lot</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="342" />
      <source>Device</source>
      <translation>Périphérique</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="343" />
      <source>Backend</source>
      <translation>Moteur d'exécution</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="343" />
      <source>Valid pixels per patch</source>
      <translation>Pixels valides par patch</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/dialog_layout.py" line="348" />
      <source>Band mapping</source>
      <translation>Correspondance des bandes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="21" />
      <source>B</source>
      <translation>o</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="21" />
      <source>KiB</source>
      <translation>Kio</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="21" />
      <source>MiB</source>
      <translation>Mio</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="21" />
      <source>GiB</source>
      <translation>Gio</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="21" />
      <source>TiB</source>
      <translation>Tio</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="22" />
      <source>PiB</source>
      <translation>Pio</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="22" />
      <source>s</source>
      <translation>s</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="22" />
      <source>min</source>
      <translation>min</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="22" />
      <source>h</source>
      <translation>h</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="22" />
      <source>days</source>
      <translation>jours</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="23" />
      <source>months</source>
      <translation>mois</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="23" />
      <source>years</source>
      <translation>ans</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="27" />
      <source>embeddings rasters as input: no model run</source>
      <translation>rasters de plongements en entrée : pas de passage dans le modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="28" />
      <source>this run would take more than a month; check --resolution, --extent and --window</source>
      <translation>ce calcul prendrait plus d'un mois ; vérifiez --resolution, --extent et --window</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="34" />
      <source>Estimate</source>
      <translation>Estimer</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="35" />
      <source>Windows, time (one window measured with the chosen model and device), peak memory and output size of a run with these settings, without running it</source>
      <translation>Fenêtres, durée (une fenêtre mesurée avec le modèle et l'appareil choisis), mémoire maximale et taille de la sortie d'une exécution avec ces réglages, sans la lancer</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="111" />
      <source>under 1 s</source>
      <translation>moins de 1 s</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="114" />
      <source>measured</source>
      <translation>mesuré</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="114" />
      <source>rough</source>
      <translation>approximatif</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="72" />
      <source>the settings are not complete</source>
      <translation>les réglages ne sont pas complets</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="92" />
      <source>Estimate: {0}</source>
      <translation>Estimation : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="115" />
      <source>{0} window(s) of {1} px input, {2} on {3} ({4}), peak memory ~{5} of {6} available, output ~{7}</source>
      <translation>{0} fenêtre(s) sur une entrée de {1} px, {2} sur {3} ({4}), mémoire maximale ~{5} sur {6} disponibles, sortie ~{7}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="73" />
      <source>No estimate: {0}</source>
      <translation>Pas d'estimation : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="113" />
      <source>about {0}</source>
      <translation>environ {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="87" />
      <source>The estimate failed ({0}): {1}</source>
      <translation>L'estimation a échoué ({0}) : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/estimate.py" line="94" />
      <source>Note: {0}</source>
      <translation>Remarque : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="34" />
      <source>SMARTIES: install Python packages</source>
      <translation>SMARTIES : installer les paquets Python</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="56" />
      <source>Install</source>
      <translation>Installer</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="57" />
      <source>Copy command</source>
      <translation>Copier la commande</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="78" />
      <source>Installing… (this can take several minutes; PyTorch is a large download)</source>
      <translation>Installation… (cela peut prendre plusieurs minutes ; PyTorch est un gros téléchargement)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="104" />
      <source>SMARTIES: restart QGIS</source>
      <translation>SMARTIES : redémarrer QGIS</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="105" />
      <source>The packages are installed. Restart QGIS now to use them?</source>
      <translation>Les paquets sont installés. Redémarrer QGIS maintenant pour les utiliser ?</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="128" />
      <source>SMARTIES: check installation</source>
      <translation>SMARTIES : vérifier l'installation</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="150" />
      <source>Copy</source>
      <translation>Copier</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="134" />
      <source>Package</source>
      <translation>Paquet</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="134" />
      <source>State</source>
      <translation>État</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="134" />
      <source>Version</source>
      <translation>Version</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="134" />
      <source>From</source>
      <translation>Provenance</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="136" />
      <source>importable</source>
      <translation>importable</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="102" />
      <source>Installed into {0}. Restart QGIS so every part of the plugin uses the new packages.</source>
      <translation>Installé dans {0}. Redémarrez QGIS pour que toute l'extension utilise les nouveaux paquets.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="136" />
      <source>broken</source>
      <translation>cassé</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="136" />
      <source>missing</source>
      <translation>absent</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="137" />
      <source>plugin folder</source>
      <translation>dossier de l'extension</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="137" />
      <source>QGIS</source>
      <translation>QGIS</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="43" />
      <source>Command (to run it yourself, first write {0} with: {1}):</source>
      <translation>Commande (pour la lancer vous-même, écrivez d'abord {0} avec : {1}) :</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="88" />
      <source>Could not start {0}; run the command above in a terminal.</source>
      <translation>Impossible de lancer {0} ; exécutez la commande ci-dessus dans un terminal.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/install_dialog.py" line="98" />
      <source>pip stopped with exit code {0}; the output above says why. Nothing in QGIS's own packages was changed.</source>
      <translation>pip s'est arrêté avec le code {0} ; la sortie ci-dessus dit pourquoi. Rien n'a été modifié dans les paquets de QGIS.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="17" />
      <source>k-means (you choose k)</source>
      <translation>k-moyennes (vous choisissez k)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="18" />
      <source>HDBSCAN (finds the number of clusters)</source>
      <translation>HDBSCAN (trouve le nombre de groupes)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="21" />
      <source>Logistic regression (linear)</source>
      <translation>Régression logistique (linéaire)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="22" />
      <source>Random forest</source>
      <translation>Forêt aléatoire</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="23" />
      <source>k nearest neighbours</source>
      <translation>k plus proches voisins</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="24" />
      <source>Small neural network (MLP)</source>
      <translation>Petit réseau de neurones (MLP)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="35" />
      <source>automatic</source>
      <translation>automatique</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="36" />
      <source>HDBSCAN: the smallest group of sampled tokens that counts as a cluster</source>
      <translation>HDBSCAN : le plus petit ensemble de jetons échantillonnés qui compte comme un groupe</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="37" />
      <source>Method</source>
      <translation>Méthode</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="38" />
      <source>Smallest cluster (tokens)</source>
      <translation>Plus petit groupe (jetons)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="52" />
      <source>Embeddings</source>
      <translation>Plongements</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="53" />
      <source>Bands + embeddings</source>
      <translation>Bandes + plongements</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="62" />
      <source>Classifier</source>
      <translation>Classifieur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="67" />
      <source>Bands + embeddings: each token's embedding plus the mean of its pixels in every normalised band. On the real-data probes of the model card this beat embeddings alone for per-pixel land cover.</source>
      <translation>Bandes + plongements : le plongement de chaque jeton plus la moyenne de ses pixels dans chaque bande normalisée. Sur les sondes en données réelles de la fiche du modèle, cela a battu les plongements seuls pour l'occupation du sol par pixel.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="70" />
      <source>Features</source>
      <translation>Variables</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="83" />
      <source>Runs on</source>
      <translation>S'exécute sur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/learning_options.py" line="102" />
      <source>unknown ({0})</source>
      <translation>inconnu ({0})</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="58" />
      <source>The preset {0} has {1} bands and this file {2}: double-click each band's Name cell and pick which {0} band it is (e.g. B2 to B7 of Landsat 8 surface reflectance).</source>
      <translation>Le préréglage {0} a {1} bandes et ce fichier {2} : double-cliquez sur la cellule Nom de chaque bande et choisissez de quelle bande {0} il s'agit (par ex. B2 à B7 d'une réflectance de surface Landsat 8).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="84" />
      <source>SMARTIES - spectral foundation model</source>
      <translation>SMARTIES - modèle de fondation spectral</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="193" />
      <source>Unticked band(s) {0}: the model has no projection layer for them.</source>
      <translation>Bande(s) décochée(s) {0} : le modèle n'a pas de couche de projection pour elles.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="358" />
      <source>Started '{0}': progress shows here and in the task bar; layers are added when it finishes.</source>
      <translation>« {0} » lancé : la progression s'affiche ici et dans la barre des tâches ; les couches sont ajoutées à la fin.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="250" />
      <source>{0} point(s) picked</source>
      <translation>{0} point(s) choisi(s)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/main_dialog.py" line="353" />
      <source>Not started: choose another output file, or confirm replacing {0}.</source>
      <translation>Non lancé : choisissez un autre fichier de sortie ou confirmez le remplacement de {0}.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/model_output.py" line="79" />
      <source>In a temporary folder: the project has no folder yet.</source>
      <translation>Dans un dossier temporaire : le projet n'a pas encore de dossier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/model_output.py" line="44" />
      <source>SMARTIES: download {0}</source>
      <translation>SMARTIES : téléchargement de {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/model_output.py" line="48" />
      <source>Downloading {0}… (progress in the task bar)</source>
      <translation>Téléchargement de {0}… (progression dans la barre des tâches)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/model_output.py" line="56" />
      <source>Download failed: {0}</source>
      <translation>Échec du téléchargement : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="116" />
      <source>A small model trained here, mostly on synthetic scenes plus a few real images: on real imagery it is about level with raw bands (see its model card). For trying the workflow; for real work use a published SMARTIES model.</source>
      <translation>Un petit modèle entraîné ici, surtout sur des scènes synthétiques et quelques images réelles : sur des images réelles il fait à peu près jeu égal avec les bandes brutes (voir sa fiche). Pour essayer la chaîne de traitement ; pour un vrai travail, utilisez un modèle SMARTIES publié.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="56" />
      <source>Default model (bundled; trained on synthetic scenes only)</source>
      <translation>Modèle par défaut (fourni ; entraîné sur des scènes synthétiques uniquement)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="57" />
      <source>Default model (bundled, small; for trying the workflow)</source>
      <translation>Modèle par défaut (fourni, petit ; pour essayer la chaîne de traitement)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="114" />
      <source>Trained on synthetic scenes only: for trying the workflow. For real work use a published SMARTIES model.</source>
      <translation>Entraîné sur des scènes synthétiques uniquement : pour essayer la chaîne de traitement. Pour un vrai travail, utilisez un modèle SMARTIES publié.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="121" />
      <source>Not on this computer. Download {0} from {1} and put it in {2} (or run: python -m engine models install FILE).</source>
      <translation>Absent de cet ordinateur. Téléchargez {0} depuis {1} et placez-le dans {2} (ou lancez : python -m engine models install FICHIER).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="124" />
      <source>Or click Download.</source>
      <translation>Ou cliquez sur Télécharger.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="132" />
      <source>The engine is not available, so the model cannot be downloaded.</source>
      <translation>Le moteur n'est pas disponible : le modèle ne peut pas être téléchargé.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="120" />
      <source>Published SMARTIES weights, on this computer: {0}</source>
      <translation>Poids SMARTIES publiés, présents sur cet ordinateur : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/models.py" line="77" />
      <source>{0} - not downloaded</source>
      <translation>{0} - non téléchargé</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/run_display.py" line="77" />
      <source>Replace the output?</source>
      <translation>Remplacer la sortie ?</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/run_display.py" line="63" />
      <source>Run '{0}' cancelled; nothing was written.</source>
      <translation>Calcul « {0} » annulé ; rien n'a été écrit.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/run_display.py" line="78" />
      <source>{0} already exists. Replace it when the run succeeds?</source>
      <translation>{0} existe déjà. Le remplacer si le calcul réussit ?</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/run_display.py" line="85" />
      <source>A run writing {0} is still going: wait for it, cancel it in the task bar, or choose another output file.</source>
      <translation>Un calcul qui écrit {0} est en cours : attendez-le, annulez-le dans la barre des tâches ou choisissez un autre fichier de sortie.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/run_display.py" line="49" />
      <source>Running '{0}': {1}</source>
      <translation>Calcul « {0} » en cours : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/run_display.py" line="65" />
      <source>Run '{0}' failed: {1}</source>
      <translation>Échec du calcul « {0} » : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/run_display.py" line="67" />
      <source>Run '{0}' finished: {1} layer(s) added.</source>
      <translation>Exécution « {0} » terminée : {1} couche(s) ajoutée(s).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/run_display.py" line="70" />
      <source>Open the classification report</source>
      <translation>Ouvrir le rapport de classification</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="37" />
      <source>Choose an input raster layer.</source>
      <translation>Choisissez une couche raster d'entrée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="75" />
      <source>Similarity needs reference points: pick them on the map or choose a point/polygon layer.</source>
      <translation>La similarité nécessite des points de référence : choisissez-les sur la carte ou sélectionnez une couche de points/polygones.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="78" />
      <source>The reference layer must be a vector file on disk.</source>
      <translation>La couche de référence doit être un fichier vecteur sur le disque.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="131" />
      <source>The window must be a multiple of 16 pixels.</source>
      <translation>La fenêtre doit être un multiple de 16 pixels.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="82" />
      <source>A change map needs a second raster (after).</source>
      <translation>Une carte de changement nécessite un second raster (après).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="98" />
      <source>Classification needs a labelled point/polygon layer.</source>
      <translation>La classification nécessite une couche de points/polygones étiquetée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="43" />
      <source>Layer '{0}' is not a local raster file; save it as GeoTIFF first.</source>
      <translation>La couche « {0} » n'est pas un fichier raster local ; enregistrez-la d'abord en GeoTIFF.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="62" />
      <source>The model '{0}' is not on this computer: download it (see below the model list) or pick another model.</source>
      <translation>Le modèle « {0} » n'est pas sur cet ordinateur : téléchargez-le (voir sous la liste des modèles) ou choisissez-en un autre.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="84" />
      <source>The second raster must differ from the first.</source>
      <translation>Le second raster doit être différent du premier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="100" />
      <source>The labelled layer must be a vector file on disk.</source>
      <translation>La couche étiquetée doit être un fichier vecteur sur le disque.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="123" />
      <source>Missing Python packages: {0}. Install with: {1}</source>
      <translation>Paquets Python manquants : {0}. Installez-les avec : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="41" />
      <source>File not found: {0} (layer '{1}'). Was it moved or deleted? Add it again.</source>
      <translation>Fichier introuvable : {0} (couche « {1} »). A-t-il été déplacé ou supprimé ? Ajoutez-le de nouveau.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="102" />
      <source>Choose the class field of the labelled layer.</source>
      <translation>Choisissez le champ de classe de la couche étiquetée.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="86" />
      <source>Layer '{0}' is not a local raster file.</source>
      <translation>La couche « {0} » n'est pas un fichier raster local.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/dialogs/validation.py" line="90" />
      <source>The two rasters are not on the same grid ({0}): tick 'Align the second raster onto the first's grid' or resample it first.</source>
      <translation>Les deux rasters ne sont pas sur la même grille ({0}) : cochez « Aligner le second raster sur la grille du premier » ou rééchantillonnez-le d'abord.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/install_actions.py" line="38" />
      <source>Or press Install…: the plugin runs pip for you into a folder of its own (QGIS's packages stay as they are), shows its output and asks to restart QGIS.</source>
      <translation>Ou appuyez sur Installer… : l'extension lance pip pour vous dans un dossier qui lui est propre (les paquets de QGIS restent tels quels), affiche sa sortie et propose de redémarrer QGIS.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/install_actions.py" line="40" />
      <source>Install…</source>
      <translation>Installer…</translation>
    </message>
    <message>
      <location filename="../eo_plugin/install_actions.py" line="49" />
      <source>SMARTIES - check installation…</source>
      <translation>SMARTIES - vérifier l'installation…</translation>
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
      <location filename="../eo_plugin/layers.py" line="135" />
      <source>cluster {0}</source>
      <translation>groupe {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="167" />
      <source>Cluster</source>
      <translation>Groupe</translation>
    </message>
    <message>
      <location filename="../eo_plugin/layers.py" line="169" />
      <source>Class</source>
      <translation>Classe</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="33" />
      <source>&amp;SMARTIES</source>
      <translation>&amp;SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="51" />
      <source>SMARTIES - spectral foundation model…</source>
      <translation>SMARTIES - modèle de fondation spectral…</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="54" />
      <source>Embeddings, PCA, clusters, similarity, change or classification maps from any multispectral or SAR raster</source>
      <translation>Cartes de plongements, ACP, groupes, similarité, changement ou classification à partir de tout raster multispectral ou radar</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="59" />
      <source>SMARTIES</source>
      <translation>SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="129" />
      <source>SMARTIES: missing Python packages</source>
      <translation>SMARTIES : paquets Python manquants</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="41" />
      <source>Processing provider not available: {0}</source>
      <translation>Fournisseur Traitement indisponible : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/plugin.py" line="46" />
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
      <location filename="../eo_plugin/processing/base.py" line="205" />
      <source>Cancelled; no output was written.</source>
      <translation>Annulé ; aucune sortie n'a été écrite.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="221" />
      <source>The engine reported '{0}' but did not write it.</source>
      <translation>Le moteur a annoncé « {0} » mais ne l'a pas écrit.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="191" />
      <source>Runs on: {0}</source>
      <translation>S'exécute sur : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="75" />
      <source>Could not style '{0}': {1}</source>
      <translation>Impossible d'appliquer le style à « {0} » : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/base.py" line="204" />
      <source>Cancelled: {0}</source>
      <translation>Annulé : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/change.py" line="16" />
      <source>Change between two rasters</source>
      <translation>Changement entre deux rasters</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/change.py" line="17" />
      <source>Change magnitude</source>
      <translation>Amplitude du changement</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/change.py" line="21" />
      <source>Warp the second raster onto the first one's grid when they differ (else refuse)</source>
      <translation>Rééchantillonner le second raster sur la grille du premier quand elles diffèrent (sinon refuser)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="31" />
      <source>Classify from labelled points/polygons</source>
      <translation>Classification à partir de points/polygones étiquetés</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="46" />
      <source>Features given to the classifier</source>
      <translation>Variables données au classifieur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="48" />
      <source>embeddings: the model's embeddings only. bands+embeddings: each token's embedding plus the mean of its pixels in every normalised band; on the real-data probes of the model card this beat embeddings alone for per-pixel land cover.</source>
      <translation>embeddings : les plongements du modèle seuls. bands+embeddings : le plongement de chaque jeton plus la moyenne de ses pixels dans chaque bande normalisée ; sur les sondes en données réelles de la fiche du modèle, cela a battu les plongements seuls pour l'occupation du sol par pixel.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="54" />
      <source>Random seed</source>
      <translation>Graine aléatoire</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="36" />
      <source>Labelled points or polygons</source>
      <translation>Points ou polygones étiquetés</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="41" />
      <source>Saved head to apply instead of training (.head.json)</source>
      <translation>Tête enregistrée à appliquer au lieu d'entraîner (.head.json)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="62" />
      <source>Confidence</source>
      <translation>Confiance</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="64" />
      <source>Classification report</source>
      <translation>Rapport de classification</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="64" />
      <source>HTML files (*.html)</source>
      <translation>Fichiers HTML (*.html)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="66" />
      <source>Trained classifier head</source>
      <translation>Tête de classification entraînée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="80" />
      <source>The engine wrote no confidence raster.</source>
      <translation>Le moteur n'a écrit aucun raster de confiance.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="87" />
      <source>Files</source>
      <translation>Fichiers</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="87" />
      <source>Settings</source>
      <translation>Paramètres</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="92" />
      <source>SMARTIES classification</source>
      <translation>Classification SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="88" />
      <source>input</source>
      <translation>entrée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="88" />
      <source>labels field</source>
      <translation>champ des étiquettes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="89" />
      <source>classifier</source>
      <translation>classifieur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="89" />
      <source>model</source>
      <translation>modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="89" />
      <source>window</source>
      <translation>fenêtre</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/classify.py" line="91" />
      <source>Report</source>
      <translation>Rapport</translation>
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
      <location filename="../eo_plugin/processing/fidelity_params.py" line="56" />
      <source>Raster of a second sensor on the same grid as the (before) raster, fused with it (e.g. Sentinel-1 with Sentinel-2)</source>
      <translation>Raster d'un second capteur sur la même grille que le raster (avant), fusionné avec lui (p. ex. Sentinel-1 avec Sentinel-2)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="57" />
      <source>Raster of a second sensor on the same grid, fused with the raster (e.g. Sentinel-1 with Sentinel-2)</source>
      <translation>Raster d'un second capteur sur la même grille, fusionné avec le raster (p. ex. Sentinel-1 avec Sentinel-2)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="44" />
      <source>Model scale: auto (the model card's: x1.87 for the published models, about 3.5x the compute; x1 for the default model), native (x1, fastest) or a factor</source>
      <translation>Échelle du modèle : auto (celle de la fiche du modèle : x1,87 pour les modèles publiés, environ 3,5x le calcul ; x1 pour le modèle par défaut), native (x1, le plus rapide) ou un facteur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="47" />
      <source>Normalisation statistics: auto (the model card's official ones for its sensors, else computed from the raster), card, or raster (computed from this raster)</source>
      <translation>Statistiques de normalisation : auto (les statistiques officielles de la fiche du modèle pour ses capteurs, sinon calculées sur le raster), card (fiche) ou raster (calculées sur ce raster)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="51" />
      <source>Band mapping: reference (the layers the reference uses, nearest layer otherwise), or interpolate between two layers (published or linear weights)</source>
      <translation>Correspondance des bandes : reference (les couches de l'implémentation de référence, sinon la couche la plus proche) ou interpolation entre deux couches (poids publiés ou linéaires)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="62" />
      <source>Raster of the second sensor on the same grid as the after raster</source>
      <translation>Raster du second capteur sur la même grille que le raster après</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="64" />
      <source>Sensor of the second raster (a preset id such as sentinel1_grd; empty = identify)</source>
      <translation>Capteur du second raster (un identifiant de préréglage comme sentinel1_grd ; vide = identifier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="67" />
      <source>Bands of the second raster (empty = identify from the file)</source>
      <translation>Bandes du second raster (vide = identifier depuis le fichier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="69" />
      <source>Fusion of two sensors: concat (one pass per sensor, features concatenated, as the reference), mean, or stack (all bands in one pass)</source>
      <translation>Fusion de deux capteurs : concat (une passe par capteur, descripteurs concaténés, comme la référence), mean (moyenne) ou stack (toutes les bandes en une passe)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="101" />
      <source>Fusing a second sensor in a change map needs its raster for both dates (INPUT_WITH and INPUT_AFTER_WITH).</source>
      <translation>Fusionner un second capteur dans une carte de changement demande son raster aux deux dates (INPUT_WITH et INPUT_AFTER_WITH).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/fidelity_params.py" line="93" />
      <source>the second sensor's raster</source>
      <translation>le raster du second capteur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="8" />
      <source>&lt;p&gt;&lt;b&gt;Bands&lt;/b&gt; (one entry per band of the input raster, in file order, separated by commas). Leave empty to identify the bands from the file (band descriptions, GDAL metadata, file name) or from the chosen &lt;b&gt;Sensor&lt;/b&gt; preset. Each entry is one of:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;a band name of the sensor preset: &lt;code&gt;B02,B03,B04,B08&lt;/code&gt;&lt;/li&gt;&lt;li&gt;a preset band from any sensor: &lt;code&gt;sentinel2:B04&lt;/code&gt;, &lt;code&gt;landsat8:B10&lt;/code&gt;&lt;/li&gt;&lt;li&gt;a wavelength range: &lt;code&gt;634-696nm&lt;/code&gt; or &lt;code&gt;0.634-0.696um&lt;/code&gt;&lt;/li&gt;&lt;li&gt;a SAR polarisation: &lt;code&gt;VV&lt;/code&gt;, &lt;code&gt;VH&lt;/code&gt;&lt;/li&gt;&lt;li&gt;&lt;code&gt;skip&lt;/code&gt; to leave that band out&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Example for a 5-band file whose last band is a cloud mask: &lt;code&gt;sentinel2:B04,sentinel2:B03,sentinel2:B02,634-696nm,skip&lt;/code&gt;. Writing the bands as text keeps them with the parameters, so batch runs and models carry the wavelengths. Run &lt;i&gt;Inspect bands&lt;/i&gt; first to see how each band maps to a projection layer of the model.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Bandes&lt;/b&gt; (une entrée par bande du raster d'entrée, dans l'ordre du fichier, séparées par des virgules). Laissez vide pour identifier les bandes à partir du fichier (descriptions des bandes, métadonnées GDAL, nom du fichier) ou du &lt;b&gt;Capteur&lt;/b&gt; prédéfini choisi. Chaque entrée est l'une des formes suivantes :&lt;/p&gt;&lt;ul&gt;&lt;li&gt;un nom de bande du capteur prédéfini : &lt;code&gt;B02,B03,B04,B08&lt;/code&gt;&lt;/li&gt;&lt;li&gt;une bande prédéfinie de n'importe quel capteur : &lt;code&gt;sentinel2:B04&lt;/code&gt;, &lt;code&gt;landsat8:B10&lt;/code&gt;&lt;/li&gt;&lt;li&gt;un intervalle de longueurs d'onde : &lt;code&gt;634-696nm&lt;/code&gt; ou &lt;code&gt;0.634-0.696um&lt;/code&gt;&lt;/li&gt;&lt;li&gt;une polarisation radar : &lt;code&gt;VV&lt;/code&gt;, &lt;code&gt;VH&lt;/code&gt;&lt;/li&gt;&lt;li&gt;&lt;code&gt;skip&lt;/code&gt; pour écarter cette bande&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Exemple pour un fichier de 5 bandes dont la dernière est un masque de nuages : &lt;code&gt;sentinel2:B04,sentinel2:B03,sentinel2:B02,634-696nm,skip&lt;/code&gt;. Écrites sous forme de texte, les bandes restent dans les paramètres : les traitements par lots et les modèles de traitement conservent ainsi les longueurs d'onde. Exécutez d'abord &lt;i&gt;Inspecter les bandes&lt;/i&gt; pour voir à quelle couche de projection du modèle correspond chaque bande.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="23" />
      <source>&lt;p&gt;&lt;b&gt;Model&lt;/b&gt;: &lt;code&gt;default&lt;/code&gt; (the model bundled with the plugin), a registry id (e.g. &lt;code&gt;smarties-v1-vitb&lt;/code&gt;) or the path of a &lt;code&gt;.safetensors&lt;/code&gt;/&lt;code&gt;.pt&lt;/code&gt; checkpoint in the SMARTIES layout.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Window&lt;/b&gt;, &lt;b&gt;overlap&lt;/b&gt; and &lt;b&gt;batch size&lt;/b&gt; (advanced) control the sliding window: the window is a multiple of 16 pixels from 16 to 4096 (default 224), neighbouring windows share the overlap fraction (0 to 0.9, default 0.25) and are blended without seams; the batch size is 1 to 1024 windows per step (default 8). Before the run the log shows an estimate (windows, time, memory); settings that cannot fit in memory or on disk are refused with the numbers. &lt;b&gt;Extent&lt;/b&gt; limits processing to an area (any CRS; it is transformed to the raster's CRS). &lt;b&gt;Device&lt;/b&gt; &lt;code&gt;auto&lt;/code&gt; uses a CUDA GPU when there is one.&lt;/p&gt;&lt;p&gt;An embeddings raster written by SMARTIES (the &lt;i&gt;Embeddings&lt;/i&gt; algorithm) can be the &lt;b&gt;input&lt;/b&gt; of PCA, clusters, similarity, change and classification: it is recognised by its metadata, needs no band list and is not computed again (this is how a model chains them).&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Modèle&lt;/b&gt; : &lt;code&gt;default&lt;/code&gt; (le modèle fourni avec l'extension), un identifiant du registre (p. ex. &lt;code&gt;smarties-v1-vitb&lt;/code&gt;) ou le chemin d'un point de contrôle &lt;code&gt;.safetensors&lt;/code&gt;/&lt;code&gt;.pt&lt;/code&gt; au format SMARTIES.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Fenêtre&lt;/b&gt;, &lt;b&gt;recouvrement&lt;/b&gt; et &lt;b&gt;taille de lot&lt;/b&gt; (avancés) règlent la fenêtre glissante : la fenêtre est un multiple de 16 pixels de 16 à 4096 (224 par défaut), les fenêtres voisines partagent la fraction de recouvrement (0 à 0,9, 0,25 par défaut) et sont fondues sans raccord ; la taille de lot va de 1 à 1024 fenêtres par étape (8 par défaut). Avant le calcul, le journal affiche une estimation (fenêtres, durée, mémoire) ; les réglages qui ne tiennent pas en mémoire ou sur le disque sont refusés avec les chiffres. &lt;b&gt;Emprise&lt;/b&gt; limite le calcul à une zone (tout SCR ; elle est transformée dans le SCR du raster). &lt;b&gt;Périphérique&lt;/b&gt; &lt;code&gt;auto&lt;/code&gt; utilise un GPU CUDA s'il y en a un.&lt;/p&gt;&lt;p&gt;Un raster de plongements écrit par SMARTIES (algorithme &lt;i&gt;Embeddings&lt;/i&gt;) peut être l'&lt;b&gt;entrée&lt;/b&gt; de l'ACP, des classes, de la similarité, du changement et de la classification : il est reconnu par ses métadonnées, ne demande pas de liste de bandes et n'est pas recalculé (c'est ainsi qu'un modèle les enchaîne).&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="39" />
      <source>&lt;p&gt;Token-grid products have one pixel per 16x16 input pixels (the model's patch), on the input raster's grid and CRS, unless &lt;i&gt;Resample to the input grid&lt;/i&gt; is checked.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Les produits sur la grille des jetons ont un pixel pour 16x16 pixels d'entrée (le patch du modèle), alignés sur la grille et dans le SCR du raster d'entrée, sauf si &lt;i&gt;Rééchantillonner le résultat sur la grille d'entrée&lt;/i&gt; est coché.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="45" />
      <source>&lt;p&gt;Runs the SMARTIES encoder over the raster and writes its patch embeddings: one band per feature dimension, one pixel per 16x16 input pixels. Use them as input for your own classifiers, clustering or similarity search.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Exécute l'encodeur SMARTIES sur le raster et écrit ses plongements de patchs : une bande par dimension de caractéristique, un pixel pour 16x16 pixels d'entrée. Utilisez-les comme entrée de vos propres classifieurs, regroupements ou recherches par similarité.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="50" />
      <source>&lt;p&gt;Projects the embeddings on their first three principal components and writes them as a 3-band 8-bit RGB image (components 1, 2 and 3 stretched to 1-255; 0 is nodata), where similar land cover gets similar colours. Method &lt;code&gt;umap&lt;/code&gt; uses a UMAP projection instead.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Projette les plongements sur leurs trois premières composantes principales et les écrit en image RVB 8 bits à 3 bandes (composantes 1, 2 et 3 étirées sur 1-255 ; 0 = nodata), où les occupations du sol semblables ont des couleurs semblables. La méthode &lt;code&gt;umap&lt;/code&gt; utilise une projection UMAP à la place.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="55" />
      <source>&lt;p&gt;Groups the embeddings into &lt;b&gt;K&lt;/b&gt; clusters with k-means, or with &lt;b&gt;HDBSCAN&lt;/b&gt; (method &lt;code&gt;hdbscan&lt;/code&gt;: finds the number of clusters from the density of the embeddings; tokens in no dense group form the &lt;i&gt;unclustered&lt;/i&gt; class), and writes the cluster number of each token: an unsupervised land-cover map.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Regroupe les plongements en &lt;b&gt;K&lt;/b&gt; groupes par k-moyennes, ou avec &lt;b&gt;HDBSCAN&lt;/b&gt; (méthode &lt;code&gt;hdbscan&lt;/code&gt; : trouve le nombre de groupes d'après la densité des plongements ; les jetons hors de tout groupe dense forment la classe &lt;i&gt;non groupé&lt;/i&gt;), et écrit le numéro de groupe de chaque jeton : une carte d'occupation du sol non supervisée.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="61" />
      <source>&lt;p&gt;Writes the cosine similarity (-1 to 1) between every token's embedding and the mean embedding under the &lt;b&gt;reference&lt;/b&gt;: the features of a point/polygon layer, or one point picked on the map. High values mark places that look like the reference.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Écrit la similarité cosinus (-1 à 1) entre le plongement de chaque jeton et le plongement moyen sous la &lt;b&gt;référence&lt;/b&gt; : les entités d'une couche de points/polygones, ou un point choisi sur la carte. Les valeurs élevées signalent les lieux qui ressemblent à la référence.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="66" />
      <source>&lt;p&gt;Compares the embeddings of two co-registered rasters (before and after) and writes the change magnitude (cosine distance, 0 = same, up to 2) per token. The second raster is resampled onto the first one's grid when the grids differ. Both rasters use the same sensor/bands settings unless &lt;i&gt;Bands of the second raster&lt;/i&gt; is given.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Compare les plongements de deux rasters recalés (avant et après) et écrit l'amplitude du changement (distance cosinus, 0 = identique, jusqu'à 2) par jeton. Le second raster est rééchantillonné sur la grille du premier lorsque les grilles diffèrent. Les deux rasters utilisent les mêmes réglages de capteur et de bandes, sauf si &lt;i&gt;Bandes du second raster&lt;/i&gt; est renseigné.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="72" />
      <source>&lt;p&gt;Trains a light classifier (logistic regression, k-nearest neighbours, random forest or a small MLP; scikit-learn) on the embeddings under the labelled points/polygons of a vector layer and writes the class of every token, the classifier's confidence (0 to 1) and an HTML report (classes, samples, validation accuracy). The trained head is saved next to the classes (&lt;code&gt;.head.json&lt;/code&gt; + &lt;code&gt;.head.npz&lt;/code&gt;); give it as &lt;b&gt;Saved head&lt;/b&gt; (instead of labels) to classify another raster of the same model and bands without training.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Entraîne un classifieur léger (régression logistique, k plus proches voisins, forêt aléatoire ou petit MLP ; scikit-learn) sur les plongements sous les points/polygones étiquetés d'une couche vecteur et écrit la classe de chaque jeton, la confiance du classifieur (0 à 1) et un rapport HTML (classes, échantillons, précision de validation). La tête entraînée est enregistrée à côté des classes (&lt;code&gt;.head.json&lt;/code&gt; + &lt;code&gt;.head.npz&lt;/code&gt;) ; donnez-la comme &lt;b&gt;Tête enregistrée&lt;/b&gt; (au lieu des étiquettes) pour classer un autre raster du même modèle et des mêmes bandes sans entraînement.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="80" />
      <source>&lt;p&gt;Identifies every band of the raster (from band descriptions, metadata, the file name, the sensor preset or your &lt;b&gt;Bands&lt;/b&gt; list) and shows which projection layer of the model each band uses: trained, nearest, interpolated or unsupported. Writes the table as an HTML file and returns it as text and as JSON. Needs no model and no torch.&lt;/p&gt;</source>
      <translation>&lt;p&gt;Identifie chaque bande du raster (à partir des descriptions de bandes, des métadonnées, du nom du fichier, du capteur prédéfini ou de votre liste de &lt;b&gt;Bandes&lt;/b&gt;) et indique quelle couche de projection du modèle chaque bande utilise : entraînée, la plus proche, interpolée ou non prise en charge. Écrit le tableau dans un fichier HTML et le renvoie en texte et en JSON. Ne nécessite ni modèle ni torch.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="89" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: float32 GeoTIFF, one band per embedding dimension.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF float32, une bande par dimension des plongements.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="90" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: 3-band 8-bit GeoTIFF (RGB of principal components 1-3, 0 = nodata).&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF 8 bits à 3 bandes (RVB des composantes principales 1-3, 0 = nodata).&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="91" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: single-band integer GeoTIFF of cluster numbers.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF entier à une bande des numéros de groupe.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="92" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: single-band float32 GeoTIFF of cosine similarity.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF float32 à une bande de la similarité cosinus.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="93" />
      <source>&lt;p&gt;&lt;b&gt;Output&lt;/b&gt;: single-band float32 GeoTIFF of change magnitude.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sortie&lt;/b&gt; : GeoTIFF float32 à une bande de l'amplitude du changement.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="94" />
      <source>&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: class raster (integer class codes; names in the raster attribute table/metadata), confidence raster (float32, 0-1), HTML report.&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sorties&lt;/b&gt; : raster des classes (codes de classe entiers ; noms dans la table attributaire du raster ou ses métadonnées), raster de confiance (float32, 0-1), rapport HTML.&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="98" />
      <source>&lt;p&gt;&lt;b&gt;Outputs&lt;/b&gt;: HTML band table, the table as text (&lt;code&gt;TABLE&lt;/code&gt;) and the decisions as JSON (&lt;code&gt;DECISIONS&lt;/code&gt;).&lt;/p&gt;</source>
      <translation>&lt;p&gt;&lt;b&gt;Sorties&lt;/b&gt; : tableau des bandes en HTML, le même tableau en texte (&lt;code&gt;TABLE&lt;/code&gt;) et les décisions en JSON (&lt;code&gt;DECISIONS&lt;/code&gt;).&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="116" />
      <source>(not installed)</source>
      <translation>(non installé)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/help.py" line="118" />
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
      <location filename="../eo_plugin/processing/params.py" line="111" />
      <source>Raster (before)</source>
      <translation>Raster (avant)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="111" />
      <source>Raster</source>
      <translation>Raster</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="116" />
      <source>Extra single-band files stacked after the raster's bands (same grid)</source>
      <translation>Fichiers monobandes supplémentaires empilés après les bandes du raster (même grille)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="134" />
      <source>Window size in pixels (multiple of 16)</source>
      <translation>Taille de la fenêtre en pixels (multiple de 16)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="138" />
      <source>Overlap between windows (fraction)</source>
      <translation>Recouvrement entre fenêtres (fraction)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="142" />
      <source>Batch size (windows per step)</source>
      <translation>Taille de lot (fenêtres par étape)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="154" />
      <source>Minimum share of valid pixels in a 16x16 token (smaller: nodata)</source>
      <translation>Part minimale de pixels valides dans un jeton de 16x16 (en dessous : nodata)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="168" />
      <source>the input raster</source>
      <translation>le raster d'entrée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="274" />
      <source>the second raster (after)</source>
      <translation>le second raster (après)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="119" />
      <source>Sensor (band preset)</source>
      <translation>Capteur (bandes prédéfinies)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="121" />
      <source>Bands, in file order (e.g. B02,B03,B04,B08 or sentinel2:B04,634-696nm,skip; empty = identify from the file)</source>
      <translation>Bandes, dans l'ordre du fichier (par ex. B02,B03,B04,B08 ou sentinel2:B04,634-696nm,skip ; vide = identifier depuis le fichier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="131" />
      <source>Model (default, a registry id or a checkpoint file)</source>
      <translation>Modèle (default, un identifiant du registre ou un fichier de poids)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="132" />
      <source>Process only this extent</source>
      <translation>Traiter uniquement cette emprise</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="114" />
      <source>Raster (after)</source>
      <translation>Raster (après)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="125" />
      <source>Bands of the second raster (empty = same as the first)</source>
      <translation>Bandes du second raster (vide = comme le premier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="151" />
      <source>Result on the input's pixel grid (unticked: one pixel per 16x16 input pixels, clipped to the input extent)</source>
      <translation>Résultat sur la grille de pixels de l'entrée (décoché : un pixel pour 16x16 pixels d'entrée, limité à l'emprise de l'entrée)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="171" />
      <source>Could not load {0}. Choose a raster layer or a GeoTIFF file.</source>
      <translation>Impossible de charger {0}. Choisissez une couche raster ou un fichier GeoTIFF.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="174" />
      <source>Cannot read {0} '{1}': it comes from the '{2}' provider, not from a file. SMARTIES reads rasters with GDAL: save the layer as a GeoTIFF first (right-click the layer &gt; Export &gt; Save As...) and run the algorithm on that file.</source>
      <translation>Impossible de lire {0} « {1} » : il provient du fournisseur « {2} », pas d'un fichier. SMARTIES lit les rasters avec GDAL : enregistrez d'abord la couche en GeoTIFF (clic droit sur la couche &gt; Exporter &gt; Sauvegarder sous...) et exécutez l'algorithme sur ce fichier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="199" />
      <source>No file given for output {0}.</source>
      <translation>Aucun fichier indiqué pour la sortie {0}.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="202" />
      <source>Output {0} '{1}' is not a GeoTIFF. SMARTIES writes GeoTIFF only: use a .tif file name.</source>
      <translation>La sortie {0} « {1} » n'est pas un GeoTIFF. SMARTIES n'écrit que du GeoTIFF : utilisez un nom de fichier en .tif.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="222" />
      <source>Layer '{0}' must contain points or polygons.</source>
      <translation>La couche « {0} » doit contenir des points ou des polygones.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="240" />
      <source>Could not write a temporary copy of '{0}': {1}</source>
      <translation>Impossible d'écrire une copie temporaire de « {0} » : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="261" />
      <source>Layer '{0}' has no features with a geometry (check 'Selected features only').</source>
      <translation>La couche « {0} » n'a aucune entité avec une géométrie (vérifiez « Entité(s) sélectionnée(s) uniquement »).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="229" />
      <source>The field '{0}' is not in layer '{1}'. Choose one of: {2}.</source>
      <translation>Le champ « {0} » n'existe pas dans la couche « {1} ». Choisissez parmi : {2}.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/params.py" line="279" />
      <source>Bands '{0}': {1}</source>
      <translation>Bandes « {0} » : {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/pca.py" line="16" />
      <source>PCA of embeddings (RGB)</source>
      <translation>ACP des plongements (RVB)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/pca.py" line="17" />
      <source>PCA (components 1-3)</source>
      <translation>ACP (composantes 1 à 3)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/pca.py" line="20" />
      <source>Composite (umap needs the optional package umap-learn)</source>
      <translation>Composition (umap demande le paquet optionnel umap-learn)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/provider.py" line="78" />
      <source>QGIS refused to register the SMARTIES Processing provider.</source>
      <translation>QGIS a refusé d'enregistrer le fournisseur Traitement SMARTIES.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/provider.py" line="43" />
      <source>SMARTIES spectral foundation model</source>
      <translation>Modèle de fondation spectral SMARTIES</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/provider.py" line="44" />
      <source>SMARTIES spectral foundation model {0}</source>
      <translation>Modèle de fondation spectral SMARTIES {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="60" />
      <source>Seasonal embeddings</source>
      <translation>Plongements saisonniers</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="191" />
      <source>Change profile</source>
      <translation>Profil de changement</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="191" />
      <source>Seasonal clusters</source>
      <translation>Groupes saisonniers</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="119" />
      <source>Dates</source>
      <translation>Dates</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="120" />
      <source>Sensors</source>
      <translation>Capteurs</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="82" />
      <source>Rasters, one per date</source>
      <translation>Rasters, un par date</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="84" />
      <source>Dates, one per layer in layer order (YYYY-MM-DD; empty = from metadata or file name)</source>
      <translation>Dates, une par couche dans l'ordre des couches (AAAA-MM-JJ ; vide = métadonnées ou nom du fichier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="87" />
      <source>Sensors: one preset for all layers or one per layer (e.g. landsat5,landsat7; empty = identify)</source>
      <translation>Capteurs : un préréglage pour toutes les couches ou un par couche (ex. landsat5,landsat7 ; vide = identifier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="90" />
      <source>Bands, in file order (e.g. B3,B4,B5,skip); one list for all layers or one per layer separated by |</source>
      <translation>Bandes, dans l'ordre du fichier (ex. B3,B4,B5,skip) ; une liste pour toutes les couches ou une par couche, séparées par |</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="92" />
      <source>Pooling of the dates</source>
      <translation>Regroupement des dates</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="94" />
      <source>Also write</source>
      <translation>Écrire aussi</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="98" />
      <source>Change dates: two dates or layer numbers (e.g. 2019-04-01,2019-08-15)</source>
      <translation>Dates du changement : deux dates ou numéros de couche (ex. 2019-04-01,2019-08-15)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="100" />
      <source>Quality mask: BAND=VALUES left out on every date (e.g. fmask=2,3,4: Fmask cloud shadow, snow, cloud; mark that band 'skip' in Bands)</source>
      <translation>Masque de qualité : BANDE=VALEURS écartées à chaque date (ex. fmask=2,3,4 : ombre de nuage, neige, nuage de Fmask ; marquez cette bande « skip » dans Bandes)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="108" />
      <source>Clusters of the seasonal embeddings</source>
      <translation>Groupes des plongements saisonniers</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="117" />
      <source>A time series needs at least two raster layers (dates).</source>
      <translation>Une série temporelle demande au moins deux couches raster (dates).</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="182" />
      <source>Change profile (mean distance to the previous date):</source>
      <translation>Profil de changement (distance moyenne à la date précédente) :</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="49" />
      <source>{0}: {1} entries for {2} layers; give one per layer, in layer order, or one for all.</source>
      <translation>{0} : {1} entrées pour {2} couches ; donnez-en une par couche, dans l'ordre des couches, ou une pour toutes.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="63" />
      <source>&lt;p&gt;Takes several rasters of the same place, one per date (any order, any sensors), and writes one &lt;b&gt;seasonal embedding&lt;/b&gt; per place: the per-date embeddings pooled by &lt;b&gt;Pooling&lt;/b&gt; (&lt;code&gt;seasons&lt;/code&gt;: the mean embedding of each season, Dec-Feb, Mar-May, Jun-Aug, Sep-Nov, side by side, so crops green at different times differ; &lt;code&gt;mean&lt;/code&gt;; &lt;code&gt;concat&lt;/code&gt;: every date in date order; &lt;code&gt;concat_unit&lt;/code&gt;: every date scaled to unit length, then in date order, so every date weighs the same in distances (clusters, kNN); &lt;code&gt;fusion&lt;/code&gt;: the SeaMo fusion blocks of a model trained with them). Every date is resampled onto the first layer's grid when its grid differs.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Dates&lt;/b&gt;: one per layer, in layer order (YYYY-MM-DD, comma-separated); empty entries are read from the file's metadata (ACQUISITION_DATE, DATE_ACQUIRED, ...) or its name (2019-06-13, 20190613, a Landsat scene id). &lt;b&gt;Sensors&lt;/b&gt; and &lt;b&gt;Bands&lt;/b&gt;: one entry for all layers, or one per layer (sensors separated by commas, band lists by &lt;code&gt;|&lt;/code&gt;).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Also write&lt;/b&gt;: the &lt;b&gt;change profile&lt;/b&gt; (one band per date from the second on: cosine distance to the previous date with data at that place), &lt;b&gt;clusters&lt;/b&gt; of the seasonal embeddings (&lt;b&gt;K&lt;/b&gt;) and the &lt;b&gt;change&lt;/b&gt; between two dates (&lt;b&gt;Change dates&lt;/b&gt;: two dates or layer numbers).&lt;/p&gt;</source>
      <translation>&lt;p&gt;Prend plusieurs rasters du même lieu, un par date (dans n'importe quel ordre, de n'importe quels capteurs), et écrit un &lt;b&gt;plongement saisonnier&lt;/b&gt; par lieu : les plongements de chaque date regroupés selon &lt;b&gt;Regroupement&lt;/b&gt; (&lt;code&gt;seasons&lt;/code&gt; : le plongement moyen de chaque saison, déc.-févr., mars-mai, juin-août, sept.-nov., côte à côte, pour que des cultures vertes à des moments différents se distinguent ; &lt;code&gt;mean&lt;/code&gt; ; &lt;code&gt;concat&lt;/code&gt; : chaque date dans l'ordre des dates ; &lt;code&gt;concat_unit&lt;/code&gt; : chaque date ramenée à une longueur unité, puis dans l'ordre des dates, pour que toutes les dates pèsent autant dans les distances (groupes, kNN) ; &lt;code&gt;fusion&lt;/code&gt; : les blocs de fusion SeaMo d'un modèle entraîné avec eux). Chaque date est rééchantillonnée sur la grille de la première couche quand sa grille diffère.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Dates&lt;/b&gt; : une par couche, dans l'ordre des couches (AAAA-MM-JJ, séparées par des virgules) ; les entrées vides sont lues dans les métadonnées du fichier (ACQUISITION_DATE, DATE_ACQUIRED, ...) ou dans son nom (2019-06-13, 20190613, un identifiant de scène Landsat). &lt;b&gt;Capteurs&lt;/b&gt; et &lt;b&gt;Bandes&lt;/b&gt; : une entrée pour toutes les couches, ou une par couche (capteurs séparés par des virgules, listes de bandes par &lt;code&gt;|&lt;/code&gt;).&lt;/p&gt;&lt;p&gt;&lt;b&gt;Écrire aussi&lt;/b&gt; : le &lt;b&gt;profil de changement&lt;/b&gt; (une bande par date à partir de la deuxième : distance cosinus à la date précédente ayant des données à cet endroit), des &lt;b&gt;groupes&lt;/b&gt; des plongements saisonniers (&lt;b&gt;K&lt;/b&gt;) et le &lt;b&gt;changement&lt;/b&gt; entre deux dates (&lt;b&gt;Dates du changement&lt;/b&gt; : deux dates ou numéros de couche).&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="124" />
      <source>the layer '{0}'</source>
      <translation>la couche « {0} »</translation>
    </message>
    <message>
      <location filename="../eo_plugin/processing/seasonal.py" line="128" />
      <source>Layer '{0}': {1}</source>
      <translation>Couche « {0} » : {1}</translation>
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
      <location filename="../eo_plugin/sensor_titles.py" line="11" />
      <source>HLS L30 v2.0 (Landsat 8/9 OLI + TIRS: B01-B07, B09, B10, B11)</source>
      <translation>HLS L30 v2.0 (Landsat 8/9 OLI + TIRS : B01-B07, B09, B10, B11)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="12" />
      <source>HLS S30 v2.0 (Sentinel-2 MSI, 13 bands)</source>
      <translation>HLS S30 v2.0 (Sentinel-2 MSI, 13 bandes)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="13" />
      <source>Landsat 4/5 TM (B1-B7)</source>
      <translation>Landsat 4/5 TM (B1-B7)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="14" />
      <source>Landsat 7 ETM+ (B1-B7; no panchromatic B8)</source>
      <translation>Landsat 7 ETM+ (B1-B7 ; sans la panchromatique B8)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="15" />
      <source>Landsat 8/9 OLI + TIRS (B1-B7, B9, B10, B11; no panchromatic B8)</source>
      <translation>Landsat 8/9 OLI + TIRS (B1-B7, B9, B10, B11 ; sans la panchromatique B8)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="16" />
      <source>USDA NAIP 4-band aerial (red, green, blue, NIR; Leica ADS100)</source>
      <translation>USDA NAIP aérien 4 bandes (rouge, vert, bleu, PIR ; Leica ADS100)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="17" />
      <source>PlanetScope 4-band, Dove Classic PS2 (blue, green, red, NIR)</source>
      <translation>PlanetScope 4 bandes, Dove Classic PS2 (bleu, vert, rouge, PIR)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="18" />
      <source>PlanetScope SuperDove 8-band (PSB.SD)</source>
      <translation>PlanetScope SuperDove 8 bandes (PSB.SD)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="19" />
      <source>Commercial sub-metre RGB (Maxar/fMoW-like; red, green, blue order)</source>
      <translation>RVB commercial submétrique (type Maxar/fMoW ; ordre rouge, vert, bleu)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="20" />
      <source>Sentinel-1 C-SAR GRD (VV, VH backscatter in dB)</source>
      <translation>Sentinel-1 C-SAR GRD (rétrodiffusion VV, VH en dB)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="21" />
      <source>Sentinel-2 MSI Level-1C (13 bands, TOA reflectance)</source>
      <translation>Sentinel-2 MSI niveau 1C (13 bandes, réflectance au sommet de l'atmosphère)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/sensor_titles.py" line="22" />
      <source>Sentinel-2 MSI Level-2A (12 bands, surface reflectance)</source>
      <translation>Sentinel-2 MSI niveau 2A (12 bandes, réflectance de surface)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="39" />
      <source>reading band information</source>
      <translation>lecture des informations de bandes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="40" />
      <source>normalisation statistics</source>
      <translation>statistiques de normalisation</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="41" />
      <source>resampling to the input grid</source>
      <translation>rééchantillonnage sur la grille de l'entrée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="41" />
      <source>done</source>
      <translation>terminé</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="42" />
      <source>writing class and confidence rasters</source>
      <translation>écriture des rasters de classes et de confiance</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="26" />
      <source>about {0} h {1} min left</source>
      <translation>environ {0} h {1} min restantes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="22" />
      <source>about {0} s left</source>
      <translation>environ {0} s restantes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="25" />
      <source>about {0} min left</source>
      <translation>environ {0} min restantes</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="35" />
      <source>window {0} of {1}</source>
      <translation>fenêtre {0} sur {1}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="38" />
      <source>{0} windows done</source>
      <translation>{0} fenêtres traitées</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="46" />
      <source>computing {0}</source>
      <translation>calcul de {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="99" />
      <source>Out of memory: lower the batch size or the window size in Advanced settings.</source>
      <translation>Mémoire insuffisante : réduisez la taille de lot ou la taille de fenêtre dans les paramètres avancés.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="59" />
      <source>SMARTIES: {0}</source>
      <translation>SMARTIES : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="119" />
      <source>SMARTIES: {0} (cancelled)</source>
      <translation>SMARTIES : {0} (annulé)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="86" />
      <source>File not found: {0}. Was it moved or deleted? Choose the layer again.</source>
      <translation>Fichier introuvable : {0}. A-t-il été déplacé ou supprimé ? Choisissez de nouveau la couche.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="102" />
      <source>Unexpected error: {0}</source>
      <translation>Erreur inattendue : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="135" />
      <source>The run stopped without a message.</source>
      <translation>L'exécution s'est arrêtée sans message.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="152" />
      <source>Other files: {0}</source>
      <translation>Autres fichiers : {0}</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="131" />
      <source>Run '{0}' cancelled; no output was written.</source>
      <translation>Exécution « {0} » annulée ; aucune sortie n'a été écrite.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/tasks.py" line="137" />
      <source>Run '{0}' failed: {1} (details in the Log Messages panel, tab SMARTIES)</source>
      <translation>Échec de l'exécution « {0} » : {1} (détails dans le panneau Journal des messages, onglet SMARTIES)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="16" />
      <source>Use</source>
      <translation>Utiliser</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="16" />
      <source>Band</source>
      <translation>Bande</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="16" />
      <source>Description</source>
      <translation>Description</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="16" />
      <source>Name</source>
      <translation>Nom</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="16" />
      <source>Centre</source>
      <translation>Centre</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="17" />
      <source>Min</source>
      <translation>Min</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="17" />
      <source>Max</source>
      <translation>Max</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="17" />
      <source>Source</source>
      <translation>Source</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="17" />
      <source>Model decision</source>
      <translation>Décision du modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="18" />
      <source>Centre wavelength (nm)</source>
      <translation>Longueur d'onde centrale (nm)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="18" />
      <source>Shortest wavelength (nm)</source>
      <translation>Longueur d'onde la plus courte (nm)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="19" />
      <source>Longest wavelength (nm)</source>
      <translation>Longueur d'onde la plus longue (nm)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="21" />
      <source>file metadata</source>
      <translation>métadonnées du fichier</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="21" />
      <source>band name</source>
      <translation>nom de bande</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="22" />
      <source>file name</source>
      <translation>nom de fichier</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="22" />
      <source>preset</source>
      <translation>capteur prédéfini</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="22" />
      <source>user</source>
      <translation>utilisateur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="23" />
      <source>not identified</source>
      <translation>non identifiée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/band_table.py" line="174" />
      <source>Wavelength in nm; type µm (e.g. 0.665 µm) and it is converted.</source>
      <translation>Longueur d'onde en nm ; saisissez des µm (par ex. 0.665 µm) et elle est convertie.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="26" />
      <source>seasons (mean per season, side by side)</source>
      <translation>saisons (moyenne par saison, côte à côte)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="26" />
      <source>mean of the dates</source>
      <translation>moyenne des dates</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="27" />
      <source>every date, in date order</source>
      <translation>chaque date, dans l'ordre des dates</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="28" />
      <source>every date at unit length, in date order (dates weigh the same)</source>
      <translation>chaque date à longueur unité, dans l'ordre des dates (les dates pèsent autant)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="29" />
      <source>SeaMo fusion (models trained with it)</source>
      <translation>Fusion SeaMo (modèles entraînés avec elle)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="73" />
      <source>One row per date. The first row is the input raster above: every other date is resampled onto its grid. Edit dates, sensors and bands in place.</source>
      <translation>Une ligne par date. La première ligne est le raster d'entrée ci-dessus : chaque autre date est rééchantillonnée sur sa grille. Modifiez dates, capteurs et bandes sur place.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="79" />
      <source>Add date</source>
      <translation>Ajouter une date</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="80" />
      <source>Remove</source>
      <translation>Retirer</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="97" />
      <source>Change profile (distance to the previous date, one band per date)</source>
      <translation>Profil de changement (distance à la date précédente, une bande par date)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="110" />
      <source>Pixels of this band with these values are left out on every date (clouds, shadows, snow); untick the band in the band table or write 'skip' for it.</source>
      <translation>Les pixels de cette bande ayant ces valeurs sont écartés à chaque date (nuages, ombres, neige) ; décochez la bande dans la table des bandes ou écrivez « skip » pour elle.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="113" />
      <source>Quality mask (BAND=VALUES)</source>
      <translation>Masque de qualité (BANDE=VALEURS)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="66" />
      <source>Layer</source>
      <translation>Couche</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="66" />
      <source>Date</source>
      <translation>Date</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="66" />
      <source>Sensor</source>
      <translation>Capteur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="67" />
      <source>Date (YYYY-MM-DD)</source>
      <translation>Date (AAAA-MM-JJ)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="67" />
      <source>Bands (empty: identify)</source>
      <translation>Bandes (vide : identifier)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="223" />
      <source>A time series needs at least two dates: add layers with 'Add date'.</source>
      <translation>Une série temporelle demande au moins deux dates : ajoutez des couches avec « Ajouter une date ».</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="244" />
      <source>Two layers have the same date; a series needs one layer per date.</source>
      <translation>Deux couches ont la même date ; une série demande une couche par date.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="147" />
      <source>The band table of the input raster above.</source>
      <translation>La table des bandes du raster d'entrée ci-dessus.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="227" />
      <source>A layer of the dates list was removed from the project.</source>
      <translation>Une couche de la liste des dates a été retirée du projet.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="232" />
      <source>Give the date of '{0}' (YYYY-MM-DD): none was found in the file.</source>
      <translation>Donnez la date de « {0} » (AAAA-MM-JJ) : aucune n'a été trouvée dans le fichier.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/dates_list.py" line="234" />
      <source>'{0}' (layer '{1}') is not a date; write YYYY-MM-DD.</source>
      <translation>« {0} » (couche « {1} ») n'est pas une date ; écrivez AAAA-MM-JJ.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="17" />
      <source>The band matches one of the model's 17 trained spectral layers.</source>
      <translation>La bande correspond à l'une des 17 couches spectrales entraînées du modèle.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="18" />
      <source>The band lies between two trained layers: their weights are mixed.</source>
      <translation>La bande se situe entre deux couches entraînées : leurs poids sont mélangés.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="19" />
      <source>The band takes the nearest trained layer alone.</source>
      <translation>La bande prend seule la couche entraînée la plus proche.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="20" />
      <source>The model has no layer for this band: untick it.</source>
      <translation>Le modèle n'a pas de couche pour cette bande : décochez-la.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="21" />
      <source>The band is unticked and not given to the model.</source>
      <translation>La bande est décochée et n'est pas donnée au modèle.</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="10" />
      <source>trained</source>
      <translation>entraînée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="11" />
      <source>interpolated</source>
      <translation>interpolée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="12" />
      <source>nearest</source>
      <translation>plus proche</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="13" />
      <source>no layer: untick</source>
      <translation>aucune couche : décocher</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="14" />
      <source>not used</source>
      <translation>non utilisée</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/decision_legend.py" line="32" />
      <source>Colours:</source>
      <translation>Couleurs :</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="110" />
      <source>model scale: native (x1)</source>
      <translation>échelle du modèle : native (x1)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="26" />
      <source>A raster of another sensor on the same grid (e.g. Sentinel-1 with Sentinel-2): the model runs once per sensor and the features are fused, as the reference does</source>
      <translation>Un raster d'un autre capteur sur la même grille (p. ex. Sentinel-1 avec Sentinel-2) : le modèle tourne une fois par capteur et les descripteurs sont fusionnés, comme dans l'implémentation de référence</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="29" />
      <source>Fuse a second sensor</source>
      <translation>Fusionner un second capteur</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="31" />
      <source>concatenate features (as the reference)</source>
      <translation>concaténer les descripteurs (comme la référence)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="32" />
      <source>average features</source>
      <translation>moyenne des descripteurs</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="33" />
      <source>stack all bands in one pass</source>
      <translation>empiler toutes les bandes en une passe</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="34" />
      <source>Fusion</source>
      <translation>Fusion</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="36" />
      <source>as the model expects</source>
      <translation>celle qu'attend le modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="37" />
      <source>native (x1, fastest)</source>
      <translation>native (x1, le plus rapide)</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="40" />
      <source>Model scale</source>
      <translation>Échelle du modèle</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="43" />
      <source>model card's statistics where it has them</source>
      <translation>statistiques de la fiche du modèle quand elle les a</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="44" />
      <source>computed from this raster</source>
      <translation>calculées sur ce raster</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="45" />
      <source>Normalisation statistics</source>
      <translation>Statistiques de normalisation</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="79" />
      <source>statistics computed from this raster</source>
      <translation>statistiques calculées sur ce raster</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="111" />
      <source>model scale: x{0}, about {1}x the compute</source>
      <translation>échelle du modèle : x{0}, environ {1}x le calcul</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="89" />
      <source>statistics computed from this raster (the model card has none for {0})</source>
      <translation>statistiques calculées sur ce raster (la fiche du modèle n'en a pas pour {0})</translation>
    </message>
    <message>
      <location filename="../eo_plugin/widgets/fidelity_box.py" line="88" />
      <source>the model card's statistics for {0}</source>
      <translation>statistiques de la fiche du modèle pour {0}</translation>
    </message>
  </context>
</TS>
