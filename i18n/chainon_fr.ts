<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
  <context>
    <name>chainon</name>
    <message>
      <location filename="../algorithms/base.py" line="366" />
      <source>The layer {layer} holds {kind} geometries where polygons are needed.</source>
      <translation>La couche {layer} contient des géométries de type {kind} là où il faut des polygones.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="368" />
      <source>The layer {layer} holds {kind} geometries where points are needed: one point per measured value.</source>
      <translation>La couche {layer} contient des géométries de type {kind} là où il faut des points : un point par valeur mesurée.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="383" />
      <source>The layer {layer} holds no feature.</source>
      <translation>La couche {layer} ne contient aucune entité.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="389" />
      <source>The layer {layer} has no coordinate reference system: set one.</source>
      <translation>La couche {layer} n'a pas de système de coordonnées de référence : définissez-en un.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="130" />
      <source>Folder holding Sentinel-2 L2A products of one tile, as downloaded: THEIA/MAJA products or Sen2Cor .SAFE products (Copernicus hub), product folders or .zip files, or the items of a STAC search saved as .json (their assets read where they point); searched in sub-folders too.</source>
      <translation>Dossier contenant les produits Sentinel-2 L2A d'une tuile, tels que téléchargés : produits THEIA/MAJA ou produits Sen2Cor .SAFE (hub Copernicus), dossiers de produits ou fichiers .zip, ou les items d'une recherche STAC enregistrés en .json (leurs assets sont lus là où ils pointent) ; recherchés aussi dans les sous-dossiers.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="157" />
      <source>Area to process, in any coordinate system; the whole tile when empty.</source>
      <translation>Zone à traiter, dans n'importe quel système de coordonnées ; toute la tuile si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="160" />
      <source>First day of the period (inclusive); the first acquisition when empty.</source>
      <translation>Premier jour de la période (inclus) ; la première acquisition si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="164" />
      <source>Last day of the period (inclusive); the last acquisition when empty.</source>
      <translation>Dernier jour de la période (inclus) ; la dernière acquisition si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="404" />
      <source>Cannot write {parameter} ({name}) to {path}: {folder} is not a folder you can write to.</source>
      <translation>Impossible d'écrire {parameter} ({name}) dans {path} : {folder} n'est pas un dossier où vous pouvez écrire.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="128" />
      <source>Sentinel-2 L2A folder (THEIA or Sen2Cor)</source>
      <translation>Dossier Sentinel-2 L2A (THEIA ou Sen2Cor)</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="156" />
      <source>Extent</source>
      <translation>Emprise</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="159" />
      <source>Start date</source>
      <translation>Date de début</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="163" />
      <source>End date</source>
      <translation>Date de fin</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="173" />
      <source>The extent (EXTENT) has no area: draw a rectangle, or leave it empty to process the whole tile.</source>
      <translation>L'emprise (EXTENT) n'a pas de surface : tracez un rectangle, ou laissez-la vide pour traiter toute la tuile.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="195" />
      <source>Trained model</source>
      <translation>Modèle entraîné</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="195" />
      <source>Chaînon models (*.joblib)</source>
      <translation>Modèles Chaînon (*.joblib)</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="310" />
      <source>Choose the folder {parameter} ({name}): it is empty.</source>
      <translation>Choisissez le dossier {parameter} ({name}) : il est vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="313" />
      <source>The folder {path} given as {parameter} ({name}) does not exist.</source>
      <translation>Le dossier {path} donné pour {parameter} ({name}) n'existe pas.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="332" />
      <source>{first} ({a}) and {second} ({b}) are both to be written to {path}: give each output its own file.</source>
      <translation>{first} ({a}) et {second} ({b}) doivent toutes deux être écrites dans {path} : donnez à chaque sortie son propre fichier.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="294" />
      <source>Cancelled: the partial results were removed.</source>
      <translation>Annulé : les résultats partiels ont été supprimés.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="325" />
      <source>Choose where to write {parameter} ({name}): this output is required.</source>
      <translation>Choisissez où écrire {parameter} ({name}) : cette sortie est obligatoire.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="91" />
      <source>Parameters and outputs</source>
      <translation>Paramètres et sorties</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="272" />
      <source>Incorrect parameter value for {name}</source>
      <translation>Valeur incorrecte pour le paramètre {name}</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="291" />
      <source>Could not read or write {path}: {reason}.</source>
      <translation>Impossible de lire ou d'écrire {path} : {reason}.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="30" />
      <source>Table of daily weather for the whole area, covering every day of the season: columns date (YYYY-MM-DD), tmean (or tmin and tmax) in degrees Celsius and radiation, the global radiation in MJ m-2 d-1; an optional rain column (mm) adds the soil water balance (water stress). Give this or the rasters.</source>
      <translation>Table de météo journalière pour toute la zone, couvrant chaque jour de la saison : colonnes date (YYYY-MM-DD), tmean (ou tmin et tmax) en degrés Celsius et radiation, le rayonnement global en MJ m-2 d-1 ; une colonne rain facultative (mm) ajoute le bilan hydrique du sol (stress hydrique). Fournissez cette table ou les rasters.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="37" />
      <source>Folder of one GeoTIFF per day, the date in the file name (e.g. meteo_20190315.tif), band 1 mean temperature (degrees Celsius), band 2 global radiation (MJ m-2 d-1), all on one grid (e.g. SAFRAN 8 km): SAFY runs once per cell. Give this or the CSV table.</source>
      <translation>Dossier d'un GeoTIFF par jour, la date dans le nom du fichier (par ex. meteo_20190315.tif), bande 1 température moyenne (degrés Celsius), bande 2 rayonnement global (MJ m-2 d-1), tous sur une même grille (par ex. SAFRAN 8 km) : SAFY est exécuté une fois par cellule. Fournissez ce dossier ou la table CSV.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="42" />
      <source>Raster of the crop to map (any grid): pixels with a non-zero value, or with one of the crop classes below, are estimated; all pixels when empty.</source>
      <translation>Raster de la culture à cartographier (grille quelconque) : les pixels de valeur non nulle, ou portant l'une des classes de culture ci-dessous, sont estimés ; tous les pixels si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="46" />
      <source>Comma-separated codes of the mask raster that are the crop, e.g. 6 for straw cereals in an OSO land cover; empty = any non-zero value.</source>
      <translation>Codes du raster de masque correspondant à la culture, séparés par des virgules, par ex. 6 pour les céréales à paille dans une occupation du sol OSO ; vide = toute valeur non nulle.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="51" />
      <source>Optional polygons of the fields: one estimate per parcel from the mean GAI of its clear pixels (a date counts when half of them are clear), burnt into the rasters; per-pixel estimates when empty.</source>
      <translation>Polygones facultatifs des champs : une estimation par parcelle à partir du GAI moyen de ses pixels sans nuage (une date compte quand la moitié d'entre eux sont sans nuage), reportée dans les rasters ; estimations par pixel si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="59" />
      <source>First day of the crop season, the earliest sowing (emergence is searched 5 to 120 days after it; 1 October for winter wheat); the first acquisition when empty.</source>
      <translation>Premier jour de la saison culturale, le semis le plus précoce (la levée est recherchée 5 à 120 jours après ce jour ; 1er octobre pour le blé d'hiver) ; la première acquisition si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="65" />
      <source>Last day of the season, after harvest; the fluxes are summed from the start to this day. The last acquisition when empty.</source>
      <translation>Dernier jour de la saison, après la récolte ; les flux sont cumulés du début jusqu'à ce jour. La dernière acquisition si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="70" />
      <source>Number of SAFY parameter sets drawn from the prior (the look-up table): more members, finer posteriors, longer runs.</source>
      <translation>Nombre de jeux de paramètres SAFY tirés de la loi a priori (la table de correspondance) : plus de membres, des lois a posteriori plus fines, des calculs plus longs.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="75" />
      <source>Seed of the prior ensemble: the same seed gives the same results.</source>
      <translation>Graine de l'ensemble a priori : une même graine donne les mêmes résultats.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="81" />
      <source>A copy of the parcel layer with biomass, biomass_sd (t/ha), gpp, reco, nee (g C/m², NEE negative = uptake), pixels and clear_dates per parcel; only with parcels.</source>
      <translation>Une copie de la couche des parcelles avec biomass, biomass_sd (t/ha), gpp, reco, nee (g C/m², NEE négatif = absorption), pixels et clear_dates par parcelle ; uniquement avec des parcelles.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="29" />
      <source>Daily meteorology (CSV)</source>
      <translation>Météorologie journalière (CSV)</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="35" />
      <source>Daily meteorology rasters (folder)</source>
      <translation>Rasters de météorologie journalière (dossier)</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="41" />
      <source>Crop mask</source>
      <translation>Masque de la culture</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="44" />
      <source>Crop classes of the mask</source>
      <translation>Classes de culture du masque</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="49" />
      <source>Parcels</source>
      <translation>Parcelles</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="68" />
      <source>Ensemble size</source>
      <translation>Taille de l'ensemble</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="73" />
      <source>Random seed</source>
      <translation>Graine aléatoire</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="79" />
      <source>Parcels with their results</source>
      <translation>Parcelles avec leurs résultats</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_carbon.py" line="111" />
      <source>{n} pixels estimated from {d} acquisitions.</source>
      <translation>{n} pixels estimés à partir de {d} acquisitions.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="50" />
      <source>Crop parcels (e.g. the RPG), in any coordinate system.</source>
      <translation>Parcelles agricoles (par exemple le RPG), dans n'importe quel système de coordonnées.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="54" />
      <source>Field holding the crop of each parcel; when empty every parcel is taken as the crop.</source>
      <translation>Champ contenant la culture de chaque parcelle ; si vide, toutes les parcelles sont considérées comme portant la culture.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="56" />
      <source>Crop</source>
      <translation>Culture</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="60" />
      <source>Value of the crop field to map, chosen among the crops of the parcels, e.g. BTH (winter soft wheat in the RPG); one model per crop.</source>
      <translation>Valeur du champ de culture à cartographier, choisie parmi les cultures des parcelles, par exemple BTH (blé tendre d'hiver dans le RPG) ; un modèle par culture.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="66" />
      <source>Yields declared by farmers (t/ha) to train on; empty or 0 where unknown. Needed unless a trained model is given.</source>
      <translation>Rendements déclarés par les agriculteurs (t/ha) servant à l'entraînement ; vide ou 0 s'ils sont inconnus. Nécessaire sauf si un modèle entraîné est fourni.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="69" />
      <source>Optional raster (any grid), e.g. the OSO map or the output of chainon:land_cover: only its pixels of the crop classes below enter the parcel averages and the per-pixel map (hedges, ponds and other land inside the parcel outlines are left out); the parcels keep their whole area for the units.</source>
      <translation>Raster facultatif (grille quelconque), par ex. la carte OSO ou la sortie de chainon:land_cover : seuls ses pixels des classes de culture ci-dessous entrent dans les moyennes par parcelle et dans la carte par pixel (haies, mares et autres surfaces à l'intérieur des contours des parcelles sont exclues) ; les parcelles gardent toute leur surface pour les unités.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="77" />
      <source>Comma-separated codes of the crop mask that are crops; the default is OSO's winter and summer crops (5 rapeseed to 12 tubers). Leave empty for a 0/1 mask (any non-zero value).</source>
      <translation>Codes du masque de culture qui sont des cultures, séparés par des virgules ; par défaut les cultures d'hiver et d'été d'OSO (5 colza à 12 tubercules). Laisser vide pour un masque 0/1 (toute valeur non nulle).</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="81" />
      <source>Trained model (instead of declared yields)</source>
      <translation>Modèle entraîné (au lieu des rendements déclarés)</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="82" />
      <source>A model saved by a previous run (OUTPUT_MODEL), applied to this tile or year; the period must have the same length and date step. Only open models you trust: loading one runs code stored in it.</source>
      <translation>Un modèle enregistré par une exécution précédente (OUTPUT_MODEL), appliqué à cette tuile ou à cette année ; la période doit avoir la même durée et le même pas de dates. N'ouvrez que des modèles de confiance : charger un modèle exécute du code qu'il contient.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="87" />
      <source>Optional polygons (e.g. départements) over which the parcels' yields are averaged, weighted by area.</source>
      <translation>Polygones facultatifs (par ex. départements) sur lesquels les rendements des parcelles sont moyennés, pondérés par la surface.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="92" />
      <source>Field holding the code of each unit.</source>
      <translation>Champ contenant le code de chaque unité.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="96" />
      <source>Optional table with a header and one row per unit: code, yield (t/ha), e.g. Agreste figures; the relative error of every unit is written in the units output and the report.</source>
      <translation>Table facultative avec un en-tête et une ligne par unité : code, rendement (t/ha), par ex. les chiffres Agreste ; l'erreur relative de chaque unité est écrite dans la sortie des unités et dans le rapport.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="117" />
      <source>The crop's parcels with YIELD_EST (predicted yield, t/ha), N_PIXELS (pixels averaged) and SPLIT (training, validation, set aside or not drawn for declared parcels; set aside: an implausible declaration, left out of training and validation; not drawn: beyond 20 000 declared parcels, those left out of the seeded training sample, predicted only).</source>
      <translation>Les parcelles de la culture avec YIELD_EST (rendement prédit, t/ha), N_PIXELS (pixels moyennés) et SPLIT (pour les parcelles déclarées : training pour l'entraînement, validation, set aside pour une déclaration invraisemblable, écartée de l'entraînement et de la validation, ou not drawn au-delà de 20 000 parcelles déclarées pour celles laissées hors de l'échantillon d'entraînement tiré au hasard (graine fixe), seulement prédites).</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="125" />
      <source>The units with YIELD_EST (area-weighted mean, t/ha), OFFICIAL, REL_ERR_PC (relative error, %), AREA_HA and N_PARCELS; only when units are given.</source>
      <translation>Les unités avec YIELD_EST (moyenne pondérée par la surface, t/ha), OFFICIAL, REL_ERR_PC (erreur relative, %), AREA_HA et N_PARCELS ; uniquement si des unités sont fournies.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="132" />
      <source>The trained regression with what it takes to apply it to another tile or year; not written when a model is applied.</source>
      <translation>La régression entraînée, avec ce qu'il faut pour l'appliquer à une autre tuile ou à une autre année ; non écrite quand un modèle est appliqué.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="135" />
      <source>Text file: the cross-validated scores of every model compared and the one kept, the declared yields set aside and why, residuals of the validation parcels, RMSE, MAE and relative errors, and the unit table with the relative errors to the statistics.</source>
      <translation>Fichier texte : les scores en validation croisée de chaque modèle comparé et celui qui est retenu, les rendements déclarés écartés et pourquoi, les résidus des parcelles de validation, RMSE, MAE et erreurs relatives, ainsi que la table des unités avec les erreurs relatives par rapport aux statistiques.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="140" />
      <source>RMSE of the validation parcels divided by their mean declared yield.</source>
      <translation>RMSE des parcelles de validation divisée par leur rendement déclaré moyen.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="161" />
      <source>Give the declared yield field to train on, or a trained model.</source>
      <translation>Fournissez le champ des rendements déclarés pour l'entraînement, ou un modèle entraîné.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="206" />
      <source>Give the field holding the code of the administrative units.</source>
      <translation>Fournissez le champ contenant le code des unités administratives.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="52" />
      <source>Crop field</source>
      <translation>Champ de la culture</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="63" />
      <source>Declared yield field (t/ha)</source>
      <translation>Champ du rendement déclaré (t/ha)</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="86" />
      <source>Administrative units</source>
      <translation>Unités administratives</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="90" />
      <source>Unit code field</source>
      <translation>Champ du code d'unité</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="94" />
      <source>Official statistics (CSV)</source>
      <translation>Statistiques officielles (CSV)</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="102" />
      <source>Number of trees</source>
      <translation>Nombre d'arbres</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="103" />
      <source>Trees of the Random Forest regression, one of the models compared.</source>
      <translation>Arbres de la régression par forêt aléatoire (Random Forest), l'un des modèles comparés.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="104" />
      <source>Share of validation parcels</source>
      <translation>Part des parcelles de validation</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="106" />
      <source>Share of the parcels with a declared yield held out for validation.</source>
      <translation>Part des parcelles avec un rendement déclaré réservées à la validation.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="107" />
      <source>Date step (days)</source>
      <translation>Pas de dates (jours)</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="108" />
      <source>Step of the regular date grid the series is gap-filled onto (iota2: 10).</source>
      <translation>Pas de la grille de dates régulière sur laquelle la série est interpolée (iota2 : 10).</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="109" />
      <source>Minimum clear dates</source>
      <translation>Nombre minimal de dates sans nuage</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="110" />
      <source>Pixels seen clear fewer times are left out of the parcel averages.</source>
      <translation>Les pixels observés sans nuage moins souvent sont exclus des moyennes par parcelle.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="112" />
      <source>Seeds the parcel split, the cross-validation folds and the forest.</source>
      <translation>Initialise la répartition des parcelles, les plis de la validation croisée et la forêt aléatoire.</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="115" />
      <source>Parcels with predicted yield</source>
      <translation>Parcelles avec le rendement prédit</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="123" />
      <source>Units with yield</source>
      <translation>Unités avec le rendement</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="134" />
      <source>Validation report</source>
      <translation>Rapport de validation</translation>
    </message>
    <message>
      <location filename="../algorithms/crop_yield.py" line="139" />
      <source>Relative RMSE</source>
      <translation>RMSE relative</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="28" />
      <source>New shadow threshold (dB)</source>
      <translation>Seuil de nouvelle ombre (dB)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="29" />
      <source>A new radar shadow is a backscatter drop deeper than this (after / before ratio).</source>
      <translation>Une nouvelle ombre radar est une baisse de rétrodiffusion plus forte que ce seuil (rapport après / avant).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="30" />
      <source>Shadow growth and confirmation threshold (dB)</source>
      <translation>Seuil de croissance et de confirmation de l'ombre (dB)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="31" />
      <source>The shadow strip is grown over drops deeper than this, and the shadow must stay this deep on the confirming acquisitions.</source>
      <translation>La bande d'ombre s'étend sur les baisses plus fortes que ce seuil, et l'ombre doit rester aussi marquée sur les acquisitions de confirmation.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="33" />
      <source>Cleared ground threshold (dB)</source>
      <translation>Seuil du sol mis à nu (dB)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="34" />
      <source>The cut patch is rebuilt around the shadow over drops deeper than this.</source>
      <translation>La coupe est reconstruite autour de l'ombre sur les baisses plus fortes que ce seuil.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="35" />
      <source>Reference acquisitions before a change</source>
      <translation>Acquisitions de référence avant un changement</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="36" />
      <source>Acquisitions of the same orbit averaged before a possible change.</source>
      <translation>Acquisitions de la même orbite moyennées avant un changement possible.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="37" />
      <source>Acquisitions after a change</source>
      <translation>Acquisitions après un changement</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="38" />
      <source>Acquisitions averaged after a possible change.</source>
      <translation>Acquisitions moyennées après un changement possible.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="39" />
      <source>Confirming acquisitions</source>
      <translation>Acquisitions de confirmation</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="40" />
      <source>Later acquisitions on which the new shadow must persist (more: fewer false alarms, later detection).</source>
      <translation>Acquisitions suivantes sur lesquelles la nouvelle ombre doit persister (plus : moins de fausses alarmes, détection plus tardive).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="58" />
      <source>Folder holding Sentinel-1 backscatter of one Sentinel-2 tile as written by S1Tiling (e.g. s1a_31TCJ_vv_DES_008_20200108t061432.tif), searched in sub-folders too: VV and VH of ascending and descending orbits, linear power with nodata 0 (or dB, see below).</source>
      <translation>Dossier de rétrodiffusion Sentinel-1 d'une tuile Sentinel-2 telle qu'écrite par S1Tiling (par exemple s1a_31TCJ_vv_DES_008_20200108t061432.tif), cherchée aussi dans les sous-dossiers : VV et VH des orbites ascendantes et descendantes, en puissance linéaire avec nodata 0 (ou en dB, voir plus bas).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="63" />
      <source>Tick when the Sentinel-1 files hold dB values instead of linear power.</source>
      <translation>Cocher quand les fichiers Sentinel-1 sont en dB et non en puissance linéaire.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="66" />
      <source>A raster (any grid) whose non-zero pixels are forest.</source>
      <translation>Un raster (toute grille) dont les pixels non nuls sont de la forêt.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="69" />
      <source>A land-cover raster (any grid), e.g. the OSO map or the output of chainon:land_cover: its forest classes are searched for cuts.</source>
      <translation>Un raster d'occupation du sol (toute grille), p. ex. la carte OSO ou la sortie de chainon:land_cover : les coupes sont cherchées dans ses classes de forêt.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="74" />
      <source>Comma-separated codes of the land-cover raster that are forest; 16 and 17 are OSO's broad-leaved and coniferous forests.</source>
      <translation>Codes du raster d'occupation du sol qui sont de la forêt, séparés par des virgules ; 16 et 17 sont les forêts de feuillus et de conifères d'OSO.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="79" />
      <source>Polygons of forest (e.g. BD Forêt). Give at least one of the mask, the land cover or the polygons; when several are given a pixel must be forest in all.</source>
      <translation>Polygones de forêt (p. ex. BD Forêt). Donner au moins le masque, l'occupation du sol ou les polygones ; si plusieurs sont donnés, un pixel doit être forestier dans tous.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="85" />
      <source>Cut patches smaller than this are dropped. 0.1 ha (10 pixels) removes speckle clusters and keeps the small cuts the method detects (Bouvet et al. 2018 report more than 95 % detection above 0.4 ha).</source>
      <translation>Les coupes plus petites sont écartées. 0,1 ha (10 pixels) élimine les amas de chatoiement et garde les petites coupes que la méthode détecte (Bouvet et al. 2018 rapportent plus de 95 % de détection au-dessus de 0,4 ha).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="96" />
      <source>One polygon per cut patch with the attributes of the SUFOSAT clear-cut polygons: date_min and date_max (first and last detection date in the patch), days_delta (days between them) and area_ha (area in hectares).</source>
      <translation>Un polygone par coupe avec les attributs des polygones de coupes rases SUFOSAT : date_min et date_max (première et dernière date de détection dans la coupe), days_delta (jours entre elles) et area_ha (surface en hectares).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="56" />
      <source>Sentinel-1 folder (S1Tiling)</source>
      <translation>Dossier Sentinel-1 (S1Tiling)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="62" />
      <source>Files are in dB</source>
      <translation>Fichiers en dB</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="64" />
      <source>Forest mask</source>
      <translation>Masque de forêt</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="67" />
      <source>Land cover</source>
      <translation>Occupation du sol</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="72" />
      <source>Forest classes of the land cover</source>
      <translation>Classes de forêt de l'occupation du sol</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="77" />
      <source>Forest polygons</source>
      <translation>Polygones de forêt</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="83" />
      <source>Minimum mapping unit (ha)</source>
      <translation>Unité minimale de cartographie (ha)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="94" />
      <source>Clear-cut polygons</source>
      <translation>Polygones de coupes rases</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_cuts.py" line="118" />
      <source>{n} clear-cut patches detected ({ha} ha).</source>
      <translation>{n} coupes rases détectées ({ha} ha).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="24" />
      <source>Biomass coefficient a (broadleaved)</source>
      <translation>Coefficient de biomasse a (feuillus)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="25" />
      <source>a of AGB = a * H^b (t/ha, H in m) for broadleaved and unknown forest types. The default (1.2, with b = 1.6: 10 m -&gt; 48 t/ha, 30 m -&gt; 277 t/ha) is a typical value for French stands, not a published national equation: set your own.</source>
      <translation>a de AGB = a * H^b (t/ha, H en m) pour les types de forêt feuillus et inconnus. La valeur par défaut (1.2, avec b = 1.6 : 10 m -&gt; 48 t/ha, 30 m -&gt; 277 t/ha) est une valeur typique des peuplements français, non une équation nationale publiée : indiquez la vôtre.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="28" />
      <source>Biomass exponent b (broadleaved)</source>
      <translation>Exposant de biomasse b (feuillus)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="29" />
      <source>b of AGB = a * H^b for broadleaved and unknown forest types.</source>
      <translation>b de AGB = a * H^b pour les types de forêt feuillus et inconnus.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="30" />
      <source>Biomass coefficient a (conifers)</source>
      <translation>Coefficient de biomasse a (conifères)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="31" />
      <source>a of AGB = a * H^b for the conifer classes of the land cover (default 0.9, with b = 1.65: about 15 % less than broadleaved stands of the same height, for the lower wood density).</source>
      <translation>a de AGB = a * H^b pour les classes de conifères de l'occupation du sol (0.9 par défaut, avec b = 1.65 : environ 15 % de moins que les peuplements feuillus de même hauteur, pour la densité du bois plus faible).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="34" />
      <source>Biomass exponent b (conifers)</source>
      <translation>Exposant de biomasse b (conifères)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="35" />
      <source>b of AGB = a * H^b for the conifer classes of the land cover.</source>
      <translation>b de AGB = a * H^b pour les classes de conifères de l'occupation du sol.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="39" />
      <source>Trees of the Random Forest regression; their spread is the height uncertainty.</source>
      <translation>Arbres de la régression par forêt aléatoire (Random Forest) ; leur dispersion donne l'incertitude de la hauteur.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="40" />
      <source>Number of seasons</source>
      <translation>Nombre de saisons</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="41" />
      <source>The period is cut into this many equal seasons, each summarised by the median of its clear dates.</source>
      <translation>La période est découpée en ce nombre de saisons égales, chacune résumée par la médiane de ses dates claires.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="43" />
      <source>Size of the validation squares (m)</source>
      <translation>Taille des carrés de validation (m)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="44" />
      <source>Reference heights are held out for validation by whole squares of this side, so that validation footprints are away from the training ones.</source>
      <translation>Les hauteurs de référence sont réservées à la validation par carrés entiers de ce côté, afin que les empreintes de validation soient éloignées de celles d'entraînement.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="46" />
      <source>Share of validation squares</source>
      <translation>Part des carrés de validation</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="47" />
      <source>Share of the squares whose reference heights are held out for validation.</source>
      <translation>Part des carrés dont les hauteurs de référence sont réservées à la validation.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="48" />
      <source>Seeds the split and the forest.</source>
      <translation>Initialise la répartition et la forêt aléatoire.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="65" />
      <source>A GEDI L2A granule (.h5, e.g. GEDI02_A_2020190023000_O08000_02_T02000_02_003_01_V002.h5) or a folder searched for them (type or paste its path): the rh98 of the shots passing the quality filters are the reference heights.</source>
      <translation>Un granule GEDI L2A (.h5, par ex. GEDI02_A_2020190023000_O08000_02_T02000_02_003_01_V002.h5) ou un dossier où les chercher (saisissez ou collez son chemin) : les rh98 des tirs qui passent les filtres de qualité sont les hauteurs de référence.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="71" />
      <source>Instead of GEDI: points with a measured canopy height (field plots, lidar samples), in any coordinate system.</source>
      <translation>À la place de GEDI : des points avec une hauteur de la canopée mesurée (placettes de terrain, échantillons lidar), dans n'importe quel système de coordonnées.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="77" />
      <source>Field of the reference points holding the canopy height in metres.</source>
      <translation>Champ des points de référence contenant la hauteur de la canopée en mètres.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="81" />
      <source>Optional folder of Sentinel-1 backscatter of the same tile as written by S1Tiling (e.g. s1a_31TCJ_vv_DES_008_20200108t061432.tif, linear power): the temporal mean and spread of VV and VH over the period and the VH/VV ratio are added to the predictors.</source>
      <translation>Dossier facultatif de rétrodiffusion Sentinel-1 de la même tuile tel qu'écrit par S1Tiling (par ex. s1a_31TCJ_vv_DES_008_20200108t061432.tif, puissance linéaire) : la moyenne et la dispersion temporelles de VV et VH sur la période et le rapport VH/VV sont ajoutés aux prédicteurs.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="86" />
      <source>Optional elevation model (any grid), added to the predictors.</source>
      <translation>Modèle d'élévation facultatif (grille quelconque), ajouté aux prédicteurs.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="89" />
      <source>A raster (any grid) whose non-zero pixels are forest; every pixel is mapped when neither a mask nor a land cover is given.</source>
      <translation>Un raster (grille quelconque) dont les pixels non nuls sont de la forêt ; tous les pixels sont cartographiés quand ni masque ni occupation du sol n'est fourni.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="93" />
      <source>A land-cover raster (any grid), e.g. the OSO map or the output of chainon:land_cover: its forest classes are mapped, and its conifer classes take the conifer allometry.</source>
      <translation>Un raster d'occupation du sol (grille quelconque), par ex. la carte OSO ou la sortie de chainon:land_cover : ses classes de forêt sont cartographiées, et ses classes de conifères prennent l'allométrie des conifères.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="104" />
      <source>Codes of the land cover that take the conifer allometry (17: OSO's coniferous forest).</source>
      <translation>Codes de l'occupation du sol qui prennent l'allométrie des conifères (17 : forêt de conifères d'OSO).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="113" />
      <source>Text file: RMSE, MAE, bias and R² of the height (and of the biomass) on the held-out footprints, with every residual.</source>
      <translation>Fichier texte : RMSE, MAE, biais et R² de la hauteur (et de la biomasse) sur les empreintes réservées, avec chaque résidu.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="116" />
      <source>RMSE of the height on the held-out reference heights.</source>
      <translation>RMSE de la hauteur sur les hauteurs de référence réservées.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="131" />
      <source>Give reference heights: GEDI L2A granules or a point layer with a height field.</source>
      <translation>Fournissez des hauteurs de référence : des granules GEDI L2A ou une couche de points avec un champ de hauteur.</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="158" />
      <source>The height field {field} does not exist in the reference points layer (fields: {fields}).</source>
      <translation>Le champ de hauteur {field} n'existe pas dans la couche des points de référence (champs : {fields}).</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="63" />
      <source>GEDI L2A granule or folder</source>
      <translation>Granule ou dossier GEDI L2A</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="69" />
      <source>Reference height points</source>
      <translation>Points de hauteur de référence</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="74" />
      <source>Height field (m)</source>
      <translation>Champ de hauteur (m)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="85" />
      <source>DEM</source>
      <translation>MNT</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="102" />
      <source>Conifer classes of the land cover</source>
      <translation>Classes de conifères de l'occupation du sol</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="115" />
      <source>Height RMSE (m)</source>
      <translation>RMSE de la hauteur (m)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="64" />
      <source>GEDI L2A (*.h5);;All files and folders (*)</source>
      <translation>GEDI L2A (*.h5);;Tous les fichiers et dossiers (*)</translation>
    </message>
    <message>
      <location filename="../algorithms/forest_height.py" line="144" />
      <source>Height RMSE on {n} held-out reference heights: {rmse} m.</source>
      <translation>RMSE de la hauteur sur {n} hauteurs de référence réservées : {rmse} m.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="43" />
      <source>Folder of Sentinel-1 VV and VH backscatter of the same tile as written by S1Tiling (e.g. s1a_31TCJ_vv_DES_008_20200108t061432.tif, linear power); the orbits are pooled.</source>
      <translation>Dossier de rétrodiffusion Sentinel-1 VV et VH de la même tuile telle qu'écrite par S1Tiling (par exemple s1a_31TCJ_vv_DES_008_20200108t061432.tif, en puissance linéaire) ; les orbites sont regroupées.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="49" />
      <source>CSV with a header row, comma or semicolon separated: a date column (YYYY-MM-DD or DD/MM/YYYY) and the rain of the day in mm (column rain, rain_mm or precipitation), for every day of the period. One series for the whole area: give either this table or the rain rasters.</source>
      <translation>CSV avec une ligne d'en-tête, séparé par des virgules ou des points-virgules : une colonne de date (YYYY-MM-DD ou DD/MM/YYYY) et la pluie du jour en mm (colonne rain, rain_mm ou precipitation), pour chaque jour de la période. Une seule série pour toute la zone : fournissez soit cette table, soit les rasters de pluie.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="56" />
      <source>Folder of one GeoTIFF per day named with its date (e.g. rain_20200315.tif, YYYYMMDD or YYYY-MM-DD), band 1 the rain of the day in mm, all on one grid in any coordinate system (SAFRAN, COMEPHORE exported per day), covering the whole area and every day of the period. Each pixel takes the rain of the cell it lies in.</source>
      <translation>Dossier d'un GeoTIFF par jour nommé avec sa date (par ex. rain_20200315.tif, YYYYMMDD ou YYYY-MM-DD), bande 1 la pluie du jour en mm, tous sur une même grille dans n'importe quel système de coordonnées (SAFRAN, COMEPHORE exportés par jour), couvrant toute la zone et chaque jour de la période. Chaque pixel prend la pluie de la maille où il se trouve.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="63" />
      <source>Crop parcels, in any coordinate system, each mapped as a whole; those known to be irrigated or rainfed (farmer declarations, field surveys) train the model and some of them are held out for validation; those with an empty label are only mapped.</source>
      <translation>Parcelles agricoles, dans n'importe quel système de coordonnées, chacune cartographiée en entier ; celles dont on sait qu'elles sont irriguées ou pluviales (déclarations des exploitants, relevés de terrain) entraînent le modèle et une partie est mise de côté pour la validation ; celles dont l'étiquette est vide sont seulement cartographiées.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="70" />
      <source>Field saying whether the parcel is irrigated (1, irrigated, yes) or rainfed (0, rainfed, no).</source>
      <translation>Champ indiquant si la parcelle est irriguée (1, irrigated, yes) ou en pluvial (0, rainfed, no).</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="75" />
      <source>Field of the declared crop of every parcel (e.g. the RPG crop code). When given, each parcel is compared with the parcels of the same crop around it and its wetting events not explained by rain are counted: irrigation is a departure from the crop's regional behaviour.</source>
      <translation>Champ de la culture déclarée de chaque parcelle (par ex. le code culture du RPG). S'il est fourni, chaque parcelle est comparée aux parcelles de la même culture alentour et ses épisodes d'humidification non expliqués par la pluie sont comptés : l'irrigation est un écart au comportement régional de la culture.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="84" />
      <source>Trees of each Random Forest.</source>
      <translation>Arbres de chaque forêt aléatoire.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="90" />
      <source>Share of the parcels of each class held out (whole parcels) for validation.</source>
      <translation>Part des parcelles de chaque classe réservées (parcelles entières) à la validation.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="98" />
      <source>Text file: the models trained on the same parcels (the fusion of one forest per sensor, each sensor, Sentinel-1 alone and one forest on all features), their overall accuracy by cross-validation and on the held-out parcels, and which one made the map (the fusion unless another cross-validates better by more than its standard error).</source>
      <translation>Fichier texte : les modèles entraînés sur les mêmes parcelles (la fusion d'une forêt par capteur, chaque capteur, Sentinel-1 seul et une forêt sur toutes les variables), leur exactitude globale en validation croisée et sur les parcelles réservées, et celui qui a fait la carte (la fusion, sauf si un autre fait mieux en validation croisée de plus de son écart type).</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="104" />
      <source>Overall accuracy (0-1) of the model that made the map on the held-out parcels.</source>
      <translation>Précision globale (0-1), sur les parcelles réservées, du modèle qui a produit la carte.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="121" />
      <source>Give the daily rain either as a precipitation table (CSV) or as a folder of daily rain rasters, not both.</source>
      <translation>Fournissez la pluie journalière soit sous forme de table de précipitations (CSV), soit sous forme de dossier de rasters de pluie journaliers, pas les deux.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="142" />
      <source>Give the labelled parcels.</source>
      <translation>Fournir les parcelles étiquetées.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="157" />
      <source>The parcels have no field {field}: choose the label field (LABEL_FIELD) saying which parcels are irrigated.</source>
      <translation>Les parcelles n'ont pas de champ {field} : choisissez le champ d'étiquette (LABEL_FIELD) qui dit quelles parcelles sont irriguées.</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="47" />
      <source>Daily precipitation table</source>
      <translation>Table des précipitations journalières</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="54" />
      <source>Daily precipitation rasters (folder)</source>
      <translation>Rasters de précipitations journalières (dossier)</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="62" />
      <source>Labelled parcels</source>
      <translation>Parcelles étiquetées</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="68" />
      <source>Label field</source>
      <translation>Champ d'étiquette</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="103" />
      <source>Overall accuracy</source>
      <translation>Précision globale</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="48" />
      <source>CSV tables (*.csv *.txt)</source>
      <translation>Tables CSV (*.csv *.txt)</translation>
    </message>
    <message>
      <location filename="../algorithms/irrigation.py" line="131" />
      <source>Map made with the model {model}: overall accuracy {oa} %, F1 of the irrigated class {f1} on the held-out parcels.</source>
      <translation>Carte produite avec le modèle {model} : précision globale {oa} %, F1 de la classe irriguée {f1} sur les parcelles réservées.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="35" />
      <source>Polygons of known land cover to train on (e.g. from the RPG, BD Topo, Corine Land Cover), in any coordinate system; needed unless a trained model is given.</source>
      <translation>Polygones d'occupation du sol connue servant à l'entraînement (par ex. issus du RPG, de la BD Topo, de Corine Land Cover), dans n'importe quel système de coordonnées ; nécessaires sauf si un modèle entraîné est fourni.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="42" />
      <source>Field of the reference polygons holding the class code, a whole number from 1 to 254; the OSO codes 1-23 get the OSO names and colours.</source>
      <translation>Champ des polygones de référence contenant le code de classe, un nombre entier de 1 à 254 ; les codes OSO 1-23 reçoivent les noms et couleurs OSO.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="45" />
      <source>Trained model (instead of reference polygons)</source>
      <translation>Modèle entraîné (au lieu des polygones de référence)</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="46" />
      <source>A model saved by a previous run (OUTPUT_MODEL), applied to this tile or year: the period must have the same length and date step as the training period. Only open models you trust: loading one runs code stored in it.</source>
      <translation>Un modèle enregistré par une exécution précédente (OUTPUT_MODEL), appliqué à cette tuile ou à cette année : la période doit avoir la même durée et le même pas de dates que la période d'entraînement. N'ouvrez que des modèles de confiance : charger un modèle exécute du code qu'il contient.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="51" />
      <source>Optional polygons of eco-climatic regions: one model is trained per region (OSO stratification); pixels outside every region are left as no data.</source>
      <translation>Polygones facultatifs de régions éco-climatiques : un modèle est entraîné par région (stratification OSO) ; les pixels hors de toute région restent sans données.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="56" />
      <source>Field identifying the region of each polygon.</source>
      <translation>Champ identifiant la région de chaque polygone.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="85" />
      <source>Before training, polygons whose class three different classifiers trained on the other polygons all reject are left out (consensus filter, Brodley and Friedl 1999): outdated or mistaken classes of a reference database. The report lists them. Untick for a reference checked by hand.</source>
      <translation>Avant l'apprentissage, les polygones dont trois classifieurs différents, entraînés sur les autres polygones, rejettent tous la classe sont écartés (filtre par consensus, Brodley et Friedl 1999) : classes périmées ou erronées d'une base de référence. Le rapport les liste. Décocher pour une référence vérifiée à la main.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="91" />
      <source>The trained model with what it takes to apply it to another tile or year (features, date grid, classes, library versions); next to the land cover map when empty. Not written when a model is applied.</source>
      <translation>Le modèle entraîné, avec ce qu'il faut pour l'appliquer à une autre tuile ou à une autre année (variables, grille de dates, classes, versions des bibliothèques) ; à côté de la carte d'occupation du sol si vide. Non écrit quand un modèle est appliqué.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="95" />
      <source>Text file next to the map (&lt;map&gt;_validation.txt): confusion matrix, overall accuracy, kappa and per-class F1 on the validation polygons.</source>
      <translation>Fichier texte à côté de la carte (&lt;map&gt;_validation.txt) : matrice de confusion, précision globale, kappa et F1 par classe sur les polygones de validation.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="98" />
      <source>Share of validation pixels correctly classified (0-1).</source>
      <translation>Part des pixels de validation correctement classés (0-1).</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="100" />
      <source>Cohen's kappa on the validation pixels.</source>
      <translation>Kappa de Cohen sur les pixels de validation.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="136" />
      <source>Give reference polygons and their class field, or a trained model.</source>
      <translation>Fournissez des polygones de référence et leur champ de classe, ou un modèle entraîné.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="147" />
      <source>Give the field identifying the eco-climatic regions.</source>
      <translation>Fournissez le champ identifiant les régions éco-climatiques.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="34" />
      <source>Reference polygons</source>
      <translation>Polygones de référence</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="39" />
      <source>Class field</source>
      <translation>Champ de classe</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="50" />
      <source>Eco-climatic regions</source>
      <translation>Régions éco-climatiques</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="54" />
      <source>Region field</source>
      <translation>Champ de région</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="61" />
      <source>Trees of the Random Forest (OSO: 100).</source>
      <translation>Arbres de la forêt aléatoire (OSO : 100).</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="62" />
      <source>Maximum tree depth</source>
      <translation>Profondeur maximale des arbres</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="63" />
      <source>Maximum depth of the trees (OSO: 25).</source>
      <translation>Profondeur maximale des arbres (OSO : 25).</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="64" />
      <source>Minimum samples to split a node</source>
      <translation>Nombre minimal d'échantillons pour diviser un nœud</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="65" />
      <source>A node with fewer samples is a leaf (OSO: 5).</source>
      <translation>Un nœud ayant moins d'échantillons est une feuille (OSO : 5).</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="66" />
      <source>Maximum samples per class</source>
      <translation>Nombre maximal d'échantillons par classe</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="67" />
      <source>At most this many pixels per class are drawn at random from the training polygons, and as many from the validation polygons.</source>
      <translation>Au plus ce nombre de pixels par classe est tiré au hasard dans les polygones d'entraînement, et autant dans les polygones de validation.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="69" />
      <source>Share of validation polygons</source>
      <translation>Part des polygones de validation</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="71" />
      <source>Share of the polygons of each class held out for validation (OSO: 0.3); polygons, not pixels, are split.</source>
      <translation>Part des polygones de chaque classe réservés à la validation (OSO : 0.3) ; ce sont les polygones, et non les pixels, qui sont répartis.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="76" />
      <source>Pixels seen clear fewer times are not used for training and are not mapped (iota2: 1).</source>
      <translation>Les pixels observés sans nuage moins souvent ne servent pas à l'entraînement et ne sont pas cartographiés (iota2 : 1).</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="79" />
      <source>Seeds the polygon split, the sampling and the forest: the same seed gives the same model.</source>
      <translation>Initialise la répartition des polygones, l'échantillonnage et la forêt aléatoire : une même graine donne le même modèle.</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="83" />
      <source>Set aside training polygons the images contradict</source>
      <translation>Écarter les polygones d'apprentissage que les images contredisent</translation>
    </message>
    <message>
      <location filename="../algorithms/land_cover.py" line="99" />
      <source>Kappa</source>
      <translation>Kappa</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="29" />
      <source>Date grid step (days)</source>
      <translation>Pas de la grille de dates (jours)</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="30" />
      <source>Days between the dates of the regular grid the series are gap-filled onto.</source>
      <translation>Nombre de jours entre les dates de la grille régulière sur laquelle les séries sont interpolées.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="31" />
      <source>Minimum number of clear dates</source>
      <translation>Nombre minimal de dates sans nuage</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="32" />
      <source>A grassland pixel seen clear on fewer acquisitions of the period gets no date (65535).</source>
      <translation>Un pixel de prairie observé sans nuage sur moins d'acquisitions de la période ne reçoit pas de date (65535).</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="34" />
      <source>NDVI drop of a cut</source>
      <translation>Chute de NDVI d'une fauche</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="35" />
      <source>Detection method: a cut is an NDVI fall deeper than this (NDVI units)...</source>
      <translation>Méthode de détection : une fauche est une chute de NDVI plus forte que cette valeur (unités de NDVI)...</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="37" />
      <source>NDVI drop of a cut, share of the amplitude</source>
      <translation>Chute de NDVI d'une fauche, part de l'amplitude</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="38" />
      <source>Detection method: ...and deeper than this share of the pixel's NDVI amplitude over the period (0-1).</source>
      <translation>Méthode de détection : ...et plus forte que cette part de l'amplitude du NDVI du pixel sur la période (0-1).</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="41" />
      <source>Trained model: trees of the Random Forest; more trees, smoother dates and uncertainties, longer runs.</source>
      <translation>Modèle entraîné : arbres de la forêt aléatoire ; plus d'arbres, des dates et des incertitudes plus lisses, des calculs plus longs.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="59" />
      <source>A land-cover raster (any grid), e.g. the OSO map or the output of chainon:land_cover: its grassland classes are mapped.</source>
      <translation>Un raster d'occupation du sol (grille quelconque), par ex. la carte OSO ou la sortie de chainon:land_cover : ses classes de prairie sont cartographiées.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="64" />
      <source>Comma-separated codes of the land-cover raster that are grassland; 13 is OSO's Prairies (grasslands).</source>
      <translation>Codes du raster d'occupation du sol correspondant à des prairies, séparés par des virgules ; 13 est la classe Prairies d'OSO.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="68" />
      <source>A raster (any grid) whose non-zero pixels are grassland.</source>
      <translation>Un raster (grille quelconque) dont les pixels non nuls sont des prairies.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="72" />
      <source>Polygons of grassland parcels (e.g. RPG meadows): only their pixels are mapped, each gets its date (median of its pixels), and a field observation point inside a parcel labels the whole parcel. Give at least one of the land cover, the mask or the parcels; when several are given a pixel must be grassland in all of them.</source>
      <translation>Polygones des parcelles de prairie (par ex. les prairies du RPG) : seuls leurs pixels sont cartographiés, chacune reçoit sa date (médiane de ses pixels), et un point d'observation de terrain situé dans une parcelle étiquette toute la parcelle. Fournissez au moins l'occupation du sol, le masque ou les parcelles ; si plusieurs sont fournis, un pixel doit être en prairie dans chacun d'eux.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="81" />
      <source>Points or polygons with the date of the first mowing seen in the field. When given, a Random Forest regression is trained on them (at least 10 in the area, dated within the period) and a validation report is written; when empty, the NDVI drop detection runs. The detection always decides which pixels are mown; the model only dates them, and only when it validates clearly better than the detection on held-out observations (a one-sided paired Wilcoxon test at 5 % on those the detection dates); otherwise the report says so and the map is dated by the detection. The paper's best model, the L-TAE attention network, needs PyTorch and is not offered.</source>
      <translation>Points ou polygones avec la date de la première fauche observée sur le terrain. S'ils sont fournis, une régression par forêt aléatoire (Random Forest) est entraînée sur eux (au moins 10 dans la zone, datés dans la période) et un rapport de validation est écrit ; si vide, la détection par chute de NDVI est utilisée. La détection décide toujours quels pixels sont fauchés ; le modèle ne fait que les dater, et seulement si sa validation sur les observations réservées est nettement meilleure que celle de la détection (test de Wilcoxon apparié unilatéral à 5 % sur celles que la détection date) ; sinon le rapport le signale et la carte est datée par la détection. Le meilleur modèle de l'article, le réseau à attention L-TAE, nécessite PyTorch et n'est pas proposé.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="91" />
      <source>Date field</source>
      <translation>Champ de date</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="97" />
      <source>Field of the observations holding the first mowing date: a date, a text YYYY-MM-DD, or a day of the year (1-366). When none is given and the layer has no mowing_date field, a field of dates is taken (one named like a date first).</source>
      <translation>Champ des observations portant la date de première fauche : une date, un texte AAAA-MM-JJ ou un jour de l'année (1-366). S'il n'est pas donné et que la couche n'a pas de champ mowing_date, un champ de dates est pris (d'abord un champ nommé comme une date).</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="102" />
      <source>Trained model (instead of field observations)</source>
      <translation>Modèle entraîné (au lieu des observations de terrain)</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="103" />
      <source>A model saved by a previous run with field observations (OUTPUT_MODEL), applied to this tile or year: the period must have the same length and date step as the training period; dates move with the period's start. Only open models you trust: loading one runs code stored in it.</source>
      <translation>Un modèle enregistré par une exécution précédente avec des observations de terrain (OUTPUT_MODEL), appliqué à cette tuile ou à cette année : la période doit avoir la même durée et le même pas de dates que la période d'entraînement ; les dates suivent le début de la période. N'ouvrez que des modèles de confiance : charger un modèle exécute du code qu'il contient.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="114" />
      <source>Only with parcels: a copy of them with mowing_doy (0 = not mown), mowing_date, uncertainty (days), mown_share (share of the pixels with a cut) and pixels (pixels with a result).</source>
      <translation>Uniquement avec des parcelles : une copie de celles-ci avec mowing_doy (0 = non fauchée), mowing_date, uncertainty (incertitude, jours), mown_share (part des pixels avec une fauche) et pixels (pixels avec un résultat).</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="118" />
      <source>Only with field observations: the trained regression with what it takes to apply it to another tile or year (feature list, date grid, library versions, validation figures).</source>
      <translation>Uniquement avec des observations de terrain : la régression entraînée, avec ce qu'il faut pour l'appliquer à une autre tuile ou à une autre année (liste des variables, grille de dates, versions des bibliothèques, chiffres de validation).</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="122" />
      <source>Only with field observations: the spatial cross-validation of the trained model (MAE, RMSE, R², residual per observation) and the detection method's MAE on the same observations, beside the day-of-year raster.</source>
      <translation>Uniquement avec des observations de terrain : la validation croisée spatiale du modèle entraîné (MAE, RMSE, R², résidu par observation) et la MAE de la méthode de détection sur les mêmes observations, à côté du raster des jours de l'année.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="168" />
      <source>Give the date field of the field observations.</source>
      <translation>Fournissez le champ de date des observations de terrain.</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="170" />
      <source>The field {field} does not exist in the field observations (fields: {fields}).</source>
      <translation>Le champ {field} n'existe pas dans les observations de terrain (champs : {fields}).</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="62" />
      <source>Grassland classes of the land cover</source>
      <translation>Classes de prairie de l'occupation du sol</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="66" />
      <source>Grassland mask</source>
      <translation>Masque des prairies</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="70" />
      <source>Grassland parcels</source>
      <translation>Parcelles de prairie</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="78" />
      <source>Field observations of the first mowing</source>
      <translation>Observations de terrain de la première fauche</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="112" />
      <source>Parcels with their first mowing date</source>
      <translation>Parcelles avec leur date de première fauche</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="249" />
      <source>Not mown</source>
      <translation>Non fauché</translation>
    </message>
    <message>
      <location filename="../algorithms/mowing_date.py" line="155" />
      <source>Trained on {n} field observations; cross-validated MAE {mae} days.</source>
      <translation>Entraîné sur {n} observations de terrain ; MAE en validation croisée : {mae} jours.</translation>
    </message>
    <message>
      <location filename="../algorithms/provider.py" line="36" />
      <source>Chaînon — environmental maps from Copernicus data</source>
      <translation>Chaînon — cartes environnementales à partir des données Copernicus</translation>
    </message>
    <message>
      <location filename="../algorithms/remote.py" line="57" />
      <source>Area of the results, in any coordinate system; with an empty area above, also the area of the job.</source>
      <translation>Emprise des résultats, dans n'importe quel système de coordonnées ; si la zone ci-dessus est vide, c'est aussi la zone du traitement.</translation>
    </message>
    <message>
      <location filename="../algorithms/remote.py" line="61" />
      <source>First day of the period (inclusive).</source>
      <translation>Premier jour de la période (inclus).</translation>
    </message>
    <message>
      <location filename="../algorithms/remote.py" line="64" />
      <source>Last day of the period (inclusive).</source>
      <translation>Dernier jour de la période (inclus).</translation>
    </message>
    <message>
      <location filename="../algorithms/remote.py" line="32" />
      <source>{product} at the compute centre</source>
      <translation>{product} au centre de calcul</translation>
    </message>
    <message>
      <location filename="../algorithms/remote.py" line="41" />
      <source>Runs at the compute centre on its own data: give an area (an extent, 'france' or tile ids) and a period. The product's maps come back clipped to the extent and styled; vector layers, reports, trained models and per-date maps are produced only by the algorithm that runs on this computer.</source>
      <translation>S'exécute au centre de calcul sur ses propres données : donnez une zone (une emprise, 'france' ou des identifiants de tuiles) et une période. Les cartes du produit reviennent découpées à l'emprise et stylées ; les couches vecteur, rapports, modèles entraînés et cartes par date ne sont produits que par l'algorithme qui s'exécute sur cet ordinateur.</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="43" />
      <source>Area of a compute-centre job: 'france' (metropolitan France and Corsica) or Sentinel-2 tiles separated by commas (31TCJ,31TCH); empty: the extent.</source>
      <translation>Zone d'une tâche du centre de calcul : 'france' (France métropolitaine et Corse) ou tuiles Sentinel-2 séparées par des virgules (31TCJ,31TCH) ; vide : l'emprise.</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="52" />
      <source>Address of the compute centre; empty: the one set in the plugin settings.</source>
      <translation>Adresse du centre de calcul ; vide : celle définie dans les paramètres de l'extension.</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="56" />
      <source>QGIS authentication configuration holding your token; empty: the one set in the plugin settings.</source>
      <translation>Configuration d'authentification QGIS contenant votre jeton ; vide : celle définie dans les paramètres de l'extension.</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="31" />
      <source>Run on</source>
      <translation>Exécuter sur</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="42" />
      <source>Compute-centre area</source>
      <translation>Zone du centre de calcul</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="50" />
      <source>Compute-centre URL</source>
      <translation>URL du centre de calcul</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="54" />
      <source>Compute-centre authentication</source>
      <translation>Authentification du centre de calcul</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="66" />
      <source>A compute-centre job needs an area: give an extent, or 'france' or tile ids in the compute-centre area.</source>
      <translation>Une tâche du centre de calcul nécessite une zone : fournissez une emprise, ou 'france' ou des identifiants de tuiles dans la zone du centre de calcul.</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="104" />
      <source>A compute-centre job needs a start and an end date.</source>
      <translation>Une tâche du centre de calcul nécessite une date de début et une date de fin.</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="33" />
      <source>Kept for models and scripts saved before the compute-centre algorithms: use "{product} at the compute centre" instead.</source>
      <translation>Conservé pour les modèles et scripts enregistrés avant les algorithmes du centre de calcul : utilisez plutôt « {product} au centre de calcul ».</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="31" />
      <source>This computer</source>
      <translation>Cet ordinateur</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="31" />
      <source>Compute centre</source>
      <translation>Centre de calcul</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="109" />
      <source>QGIS cannot read a token from the authentication configuration {authcfg}: check that it exists and that the master password of the authentication database is set (without a window, e.g. in qgis_process: the environment variable QGIS_AUTH_PASSWORD_FILE naming a file that holds it).</source>
      <translation>QGIS ne peut pas lire de jeton dans la configuration d'authentification {authcfg} : vérifiez qu'elle existe et que le mot de passe principal de la base d'authentification est défini (sans fenêtre, par ex. dans qgis_process : la variable d'environnement QGIS_AUTH_PASSWORD_FILE désignant un fichier qui le contient).</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="119" />
      <source>Compute-centre job {job} submitted.</source>
      <translation>Tâche {job} soumise au centre de calcul.</translation>
    </message>
    <message>
      <location filename="../algorithms/remote_run.py" line="122" />
      <source>The compute-centre job {job} ended {status}: {message}</source>
      <translation>La tâche {job} du centre de calcul s'est terminée avec le statut {status} : {message}</translation>
    </message>
    <message>
      <location filename="../algorithms/reports.py" line="19" />
      <source>The validation report as HTML, shown in the Results Viewer: written beside the text report, under its name ending in .html (in .report.html when the text report's name already ends in .html: it is never overwritten).</source>
      <translation>Le rapport de validation en HTML, affiché dans la visionneuse de résultats : écrit à côté du rapport texte, sous son nom terminé par .html (par .report.html quand le nom du rapport texte se termine déjà par .html : il n'est jamais écrasé).</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="64" />
      <source>Sample data (synthetic scene)</source>
      <translation>Données d'exemple (scène synthétique)</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="70" />
      <source>Writes a SYNTHETIC Sentinel-2 time series in the THEIA L2A format, with a DEM and the ground truth, to try Chaînon's products without downloading data. The data are simulated, not observations.</source>
      <translation>Écrit une série temporelle Sentinel-2 SYNTHÉTIQUE au format THEIA L2A, avec un MNT et la vérité terrain, pour essayer les produits de Chaînon sans télécharger de données. Les données sont simulées, ce ne sont pas des observations.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="101" />
      <source>Which product the scene is made for.</source>
      <translation>Produit pour lequel la scène est conçue.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="105" />
      <source>Width and height of the scene; 5490 is a full Sentinel-2 tile.</source>
      <translation>Largeur et hauteur de la scène ; 5490 correspond à une tuile Sentinel-2 complète.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="109" />
      <source>The same seed always writes the same scene.</source>
      <translation>Une même graine produit toujours la même scène.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="111" />
      <source>Where the scene is written.</source>
      <translation>Dossier où la scène est écrite.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="113" />
      <source>The folder of simulated THEIA L2A products, for the S2_FOLDER input of a product.</source>
      <translation>Le dossier des produits THEIA L2A simulés, pour l'entrée S2_FOLDER d'un produit.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="116" />
      <source>Forest cuts scenario: the folder of simulated S1Tiling files, for the S1_FOLDER input of chainon:forest_cuts.</source>
      <translation>Scénario coupes rases : le dossier des fichiers S1Tiling simulés, pour l'entrée S1_FOLDER de chainon:forest_cuts.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="119" />
      <source>Forest cuts scenario: 1 in the forest, 0 elsewhere.</source>
      <translation>Scénario coupes rases : 1 en forêt, 0 ailleurs.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="121" />
      <source>Forest height scenario: the folder of simulated GEDI L2A granules, for the GEDI input of chainon:forest_height.</source>
      <translation>Scénario de hauteur de forêt : le dossier des granules GEDI L2A simulés, pour l'entrée GEDI de chainon:forest_height.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="124" />
      <source>The simulated elevation model (m).</source>
      <translation>Le modèle numérique de terrain (MNT) simulé (m).</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="126" />
      <source>The ground truth the products are measured against.</source>
      <translation>La vérité terrain à laquelle les produits sont comparés.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="128" />
      <source>Crop carbon scenario: the daily weather table (CSV) for the METEO input.</source>
      <translation>Scénario carbone des cultures : la table de météo journalière (CSV) pour l'entrée METEO.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="130" />
      <source>Irrigation scenario: the folder of daily rain rasters (mm), for the PRECIPITATION_RASTER input of chainon:irrigation.</source>
      <translation>Scénario irrigation : le dossier des rasters de pluie journaliers (mm), pour l'entrée PRECIPITATION_RASTER de chainon:irrigation.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="133" />
      <source>Crop carbon scenario: 1 on the wheat fields, 0 elsewhere.</source>
      <translation>Scénario carbone des cultures : 1 sur les champs de blé, 0 ailleurs.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="135" />
      <source>Crop carbon scenario: the wheat fields as polygons (field_id). Mowing scenario: the meadow parcels (parcel_id). Crop yield scenario: every parcel with its crop (CODE_CULTU) and the declared wheat yields (RDT_DECL, t/ha).</source>
      <translation>Scénario carbone des cultures : les champs de blé sous forme de polygones (field_id). Scénario fauche : les parcelles de prairie (parcel_id). Scénario rendement : toutes les parcelles avec leur culture (CODE_CULTU) et les rendements de blé déclarés (RDT_DECL, t/ha).</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="140" />
      <source>Mowing scenario: the land cover in OSO codes (13 = grasslands). Land cover and crop yield scenarios: the true land cover.</source>
      <translation>Scénario fauche : l'occupation du sol en codes OSO (13 = prairies). Scénarios occupation du sol et rendement : l'occupation du sol vraie.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="143" />
      <source>Mowing scenario: points in some mown meadows with the first mowing date (field mowing_date).</source>
      <translation>Scénario fauche : des points dans certaines prairies fauchées, avec la date de première fauche (champ mowing_date).</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="146" />
      <source>Land cover and crop yield scenarios: one polygon per parcel with its OSO class (field code), to train on. Forest chain scenario: one polygon per stand or meadow (code 13, 16 or 17).</source>
      <translation>Scénarios occupation du sol et rendement : un polygone par parcelle avec sa classe OSO (champ code), pour l'entraînement. Scénario chaîne forestière : un polygone par peuplement ou prairie (code 13, 16 ou 17).</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="150" />
      <source>Land cover scenario: two regions (field region); the second one's phenology is late.</source>
      <translation>Scénario occupation du sol : deux régions (champ region) ; la phénologie de la seconde est tardive.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="153" />
      <source>Crop yield scenario: six units (field code).</source>
      <translation>Scénario rendement : six unités (champ code).</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="155" />
      <source>Crop yield scenario: CSV of the units' wheat yield (code, yield).</source>
      <translation>Scénario rendement : CSV du rendement en blé des unités (code, yield).</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="79" />
      <source>Scenario</source>
      <translation>Scénario</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="103" />
      <source>Size (pixels at 20 m)</source>
      <translation>Taille (pixels à 20 m)</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="110" />
      <source>Output folder</source>
      <translation>Dossier de sortie</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="112" />
      <source>Sentinel-2 folder</source>
      <translation>Dossier Sentinel-2</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="115" />
      <source>Sentinel-1 folder</source>
      <translation>Dossier Sentinel-1</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="120" />
      <source>GEDI folder</source>
      <translation>Dossier GEDI</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="125" />
      <source>Ground truth folder</source>
      <translation>Dossier de la vérité terrain</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="127" />
      <source>Daily meteorology</source>
      <translation>Météorologie journalière</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="129" />
      <source>Daily rain rasters</source>
      <translation>Rasters de pluie journaliers</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="142" />
      <source>Field observations</source>
      <translation>Observations de terrain</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="154" />
      <source>Official statistics</source>
      <translation>Statistiques officielles</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="166" />
      <source>Synthetic scene: {n} acquisitions written to {folder}.</source>
      <translation>Scène synthétique : {n} acquisitions écrites dans {folder}.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="80" />
      <source>Snow: mountain tile, one hydrological year</source>
      <translation>Neige : tuile de montagne, une année hydrologique</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="81" />
      <source>Crop carbon: winter-wheat fields in south-west France, October to July, with daily meteorology</source>
      <translation>Carbone des cultures : champs de blé d'hiver dans le sud-ouest de la France, d'octobre à juillet, avec la météorologie journalière</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="83" />
      <source>Mowing: meadows among crops and woods, March to October, with a land cover, meadow parcels and dated field observations</source>
      <translation>Fauche : prairies parmi des cultures et des bois, de mars à octobre, avec une occupation du sol, des parcelles de prairie et des observations de terrain datées</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="85" />
      <source>Land cover: parcels of twelve OSO classes through a calendar year, with reference polygons and eco-climatic regions</source>
      <translation>Occupation du sol : parcelles de douze classes OSO sur une année civile, avec des polygones de référence et des régions éco-climatiques</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="87" />
      <source>Crop yield: winter wheat among other crops through a calendar year, with parcels, declared yields, units and official statistics</source>
      <translation>Rendement : blé d'hiver parmi d'autres cultures sur une année civile, avec des parcelles, des rendements déclarés, des unités et des statistiques officielles</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="89" />
      <source>Forest cuts: Sentinel-1 (S1Tiling files, 10 m pixels) of a forest with dated clear-cuts over two years, with a forest mask</source>
      <translation>Coupes rases : Sentinel-1 (fichiers S1Tiling, pixels de 10 m) d'une forêt avec des coupes rases datées sur deux ans, avec un masque de forêt</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="91" />
      <source>Forest height: broadleaved and coniferous stands of known height among meadows through a calendar year, with GEDI L2A granules, a land cover and a forest mask</source>
      <translation>Hauteur de forêt : peuplements feuillus et de conifères de hauteur connue parmi des prairies au long d'une année civile, avec des granules GEDI L2A, une occupation du sol et un masque de forêt</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="94" />
      <source>Irrigation: irrigated and rainfed crop parcels, March to October, with Sentinel-1, daily rain (METEO) and labelled parcels (irrigated)</source>
      <translation>Irrigation : parcelles agricoles irriguées et en pluvial, de mars à octobre, avec Sentinel-1, les précipitations journalières (METEO) et des parcelles étiquetées (irrigated)</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="96" />
      <source>Forest chain: the forest height scene with reference polygons of meadows and broadleaved and coniferous forest (16, 17) and two years of Sentinel-1 with clear-cuts in the second, for land cover then forest cuts and forest height</source>
      <translation>Chaîne forestière : la scène de hauteur forestière avec des polygones de référence de prairies et de forêts de feuillus et de conifères (16, 17) et deux années de Sentinel-1 avec des coupes rases la seconde, pour l'occupation du sol puis les coupes rases et la hauteur forestière</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="21" />
      <source>NDSI threshold, pass 1</source>
      <translation>Seuil de NDSI, passe 1</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="22" />
      <source>Snow in pass 1 needs NDSI above this.</source>
      <translation>En passe 1, la neige exige un NDSI supérieur à ce seuil.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="23" />
      <source>Red threshold, pass 1</source>
      <translation>Seuil de réflectance rouge, passe 1</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="24" />
      <source>Snow in pass 1 needs red reflectance above this (0-1).</source>
      <translation>En passe 1, la neige exige une réflectance rouge supérieure à ce seuil (0-1).</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="25" />
      <source>NDSI threshold, pass 2</source>
      <translation>Seuil de NDSI, passe 2</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="26" />
      <source>Snow above the snowline needs NDSI above this.</source>
      <translation>Au-dessus de la limite de neige, la neige exige un NDSI supérieur à ce seuil.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="27" />
      <source>Red threshold, pass 2</source>
      <translation>Seuil de réflectance rouge, passe 2</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="28" />
      <source>Snow above the snowline needs red reflectance above this (0-1).</source>
      <translation>Au-dessus de la limite de neige, la neige exige une réflectance rouge supérieure à ce seuil (0-1).</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="29" />
      <source>Elevation band height (m)</source>
      <translation>Hauteur des tranches d'altitude (m)</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="30" />
      <source>Height of the DEM bands used to find the snowline.</source>
      <translation>Hauteur des tranches d'altitude du MNT utilisées pour déterminer la limite de neige.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="133" />
      <source>Water values must be numbers separated by commas, such as 1 or 23, not "{text}".</source>
      <translation>Les valeurs d'eau doivent être des nombres séparés par des virgules, comme 1 ou 23, et non « {text} ».</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="43" />
      <source>Any elevation raster (m) covering the tile; it is reprojected and resampled (bilinear) onto the 20 m grid of the products.</source>
      <translation>Tout raster d'altitude (m) couvrant la tuile ; il est reprojeté et rééchantillonné (bilinéaire) sur la grille à 20 m des produits.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="47" />
      <source>Optional raster of permanent water (a 0/1 mask, a rasterised lake layer, or the OSO land cover): its pixels whose value is one of the water values become no data (255) on every date, as in LIS 1.7, so that lakes are never mapped as snow nor counted in the snowline.</source>
      <translation>Raster facultatif des eaux permanentes (masque 0/1, couche de lacs rastérisée ou occupation des sols OSO) : ses pixels dont la valeur est l'une des valeurs d'eau deviennent sans donnée (255) à chaque date, comme dans LIS 1.7, pour que les lacs ne soient jamais cartographiés en neige ni comptés dans la limite d'enneigement.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="53" />
      <source>Values of the water mask that mean water, separated by commas: 1 for a 0/1 mask, 23 for the OSO land cover.</source>
      <translation>Valeurs du masque d'eau qui signifient « eau », séparées par des virgules : 1 pour un masque 0/1, 23 pour l'occupation des sols OSO.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="58" />
      <source>Optional polygons of permanent water (e.g. BD TOPO's water surfaces, SURFACE_HYDROGRAPHIQUE), in any coordinate system: the pixels whose centre they cover are no data like the water mask's. Given with the water mask, the water of both is.</source>
      <translation>Polygones facultatifs des eaux permanentes (par ex. les surfaces en eau de la BD TOPO, SURFACE_HYDROGRAPHIQUE), dans n'importe quel système de coordonnées : les pixels dont ils couvrent le centre sont sans donnée comme ceux du masque d'eau. Avec le masque d'eau, l'eau des deux l'est.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="64" />
      <source>Writes FSC_&lt;tile&gt;_&lt;date&gt;.tif beside each snow map: percentage of the pixel covered by snow from the NDSI (Gascoin et al. 2020).</source>
      <translation>Écrit FSC_&lt;tile&gt;_&lt;date&gt;.tif à côté de chaque carte de neige : pourcentage du pixel couvert de neige, déduit du NDSI (Gascoin et al. 2020).</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="72" />
      <source>One snow map per acquisition, SNOW_&lt;tile&gt;_&lt;YYYYMMDD&gt;.tif (0 no snow, 100 snow, 205 cloud, 255 no data); acquisitions without data over the area are skipped.</source>
      <translation>Une carte de neige par acquisition, SNOW_&lt;tile&gt;_&lt;YYYYMMDD&gt;.tif (0 pas de neige, 100 neige, 205 nuage, 255 pas de données) ; les acquisitions sans données sur la zone sont ignorées.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="42" />
      <source>Digital elevation model</source>
      <translation>Modèle numérique de terrain (MNT)</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="46" />
      <source>Water mask</source>
      <translation>Masque d'eau</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="51" />
      <source>Water values</source>
      <translation>Valeurs d'eau</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="56" />
      <source>Water polygons</source>
      <translation>Polygones d'eau</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="62" />
      <source>Also map fractional snow cover</source>
      <translation>Cartographier aussi la fraction de couverture neigeuse</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="71" />
      <source>Folder of snow maps</source>
      <translation>Dossier des cartes de neige</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="93" />
      <source>{n} snow maps written, {k} empty acquisitions skipped.</source>
      <translation>{n} cartes de neige écrites, {k} acquisitions vides ignorées.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="119" />
      <source>Snow {date}</source>
      <translation>Neige {date}</translation>
    </message>
    <message>
      <location filename="../algorithms/styling.py" line="141" />
      <source>Maps per date</source>
      <translation>Cartes par date</translation>
    </message>
    <message>
      <location filename="../algorithms/styling.py" line="131" />
      <source>(France)</source>
      <translation>(France)</translation>
    </message>
    <message>
      <location filename="../algorithms/widgets.py" line="44" />
      <source>A crop code, e.g. BTH: checked against the crops of the parcels when the model runs</source>
      <translation>Un code de culture, par ex. BTH : vérifié parmi les cultures des parcelles à l'exécution du modèle</translation>
    </message>
    <message>
      <location filename="../algorithms/widgets.py" line="81" />
      <source>{crop} is not a crop of the parcels; they hold: {crops}</source>
      <translation>{crop} n'est pas une culture des parcelles ; elles portent : {crops}</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="47" />
      <source>Agriculture</source>
      <translation>Agriculture</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="48" />
      <source>Forest</source>
      <translation>Forêt</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="49" />
      <source>Snow and water</source>
      <translation>Neige et eau</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="51" />
      <source>Tools</source>
      <translation>Outils</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="55" />
      <source>No snow</source>
      <translation>Pas de neige</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="56" />
      <source>Snow</source>
      <translation>Neige</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="57" />
      <source>Cloud or cloud shadow</source>
      <translation>Nuage ou ombre de nuage</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="63" />
      <source>Snow cover (Let It Snow)</source>
      <translation>Couverture neigeuse (Let It Snow)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="66" />
      <source>Snow maps for every Sentinel-2 acquisition and the snow cover duration, onset and melt-out dates of the period, after the Let It Snow method (Gascoin et al. 2019, ESSD 11:493-514).</source>
      <translation>Cartes de neige pour chaque acquisition Sentinel-2, ainsi que la durée d'enneigement et les dates d'apparition et de disparition de la neige sur la période, selon la méthode Let It Snow (Gascoin et al. 2019, ESSD 11:493-514).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="69" />
      <source>Per date, at 20 m: NDSI = (B3 - B11) / (B3 + B11). Pass 1 marks snow where the pixel is not cloudy, NDSI &gt; 0.4 and red &gt; 0.20. Clouds are refined: dark clouds (red averaged over 240 m cells &lt;= 0.30) are released, shadows and high clouds kept. The snowline is the lower edge of the 100 m elevation band two bands below the lowest band with more than 10 % clear pixels of which more than 10 % snow. Pass 2 marks snow above the snowline where NDSI &gt; 0.15 and red &gt; 0.04. Codes: 0 no snow, 100 snow, 205 cloud, 255 no data. Syntheses: the binary snow series is linearly interpolated to every day; snow cover duration (SCD) counts snow days, onset (SOD) and melt-out (SMOD) bound the longest snow period. Simplified: the 240 m red is a cell mean (LIS: bilinear resampling); the optional fractional snow cover uses the Gascoin et al. 2020 sigmoid without tree-cover correction.</source>
      <translation>Par date, à 20 m : NDSI = (B3 - B11) / (B3 + B11). La passe 1 classe en neige les pixels non nuageux où NDSI &gt; 0.4 et rouge &gt; 0.20. Les nuages sont affinés : les nuages sombres (rouge moyenné sur des cellules de 240 m &lt;= 0.30) sont retirés du masque de nuages, les ombres et les nuages hauts sont conservés. La limite de neige est la borne inférieure de la tranche d'altitude de 100 m située deux tranches sous la tranche la plus basse comptant plus de 10 % de pixels sans nuage, dont plus de 10 % enneigés. La passe 2 classe en neige les pixels situés au-dessus de la limite de neige où NDSI &gt; 0.15 et rouge &gt; 0.04. Codes : 0 pas de neige, 100 neige, 205 nuage, 255 pas de données. Synthèses : la série binaire de neige est interpolée linéairement à chaque jour ; la durée d'enneigement (SCD) compte les jours de neige, les dates d'apparition (SOD) et de disparition (SMOD) de la neige bornent la plus longue période d'enneigement. Simplifications : le rouge à 240 m est une moyenne par cellule (LIS : rééchantillonnage bilinéaire) ; la fraction de couverture neigeuse optionnelle utilise la sigmoïde de Gascoin et al. 2020 sans correction du couvert forestier.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="113" />
      <source>Dense built-up</source>
      <translation>Bâti dense</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="114" />
      <source>Sparse built-up</source>
      <translation>Bâti diffus</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="115" />
      <source>Industrial and commercial</source>
      <translation>Zones industrielles et commerciales</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="116" />
      <source>Roads</source>
      <translation>Surfaces routes</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="117" />
      <source>Rapeseed</source>
      <translation>Colza</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="118" />
      <source>Straw cereals</source>
      <translation>Céréales à paille</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="119" />
      <source>Protein crops</source>
      <translation>Protéagineux</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="120" />
      <source>Soybean</source>
      <translation>Soja</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="121" />
      <source>Sunflower</source>
      <translation>Tournesol</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="122" />
      <source>Maize</source>
      <translation>Maïs</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="123" />
      <source>Rice</source>
      <translation>Riz</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="124" />
      <source>Tubers and roots</source>
      <translation>Tubercules / racines</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="125" />
      <source>Grasslands</source>
      <translation>Prairies</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="126" />
      <source>Orchards</source>
      <translation>Vergers</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="127" />
      <source>Vineyards</source>
      <translation>Vignes</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="128" />
      <source>Broad-leaved forest</source>
      <translation>Forêts de feuillus</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="129" />
      <source>Coniferous forest</source>
      <translation>Forêts de conifères</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="130" />
      <source>Natural grasslands</source>
      <translation>Pelouses</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="131" />
      <source>Woody moorlands</source>
      <translation>Landes ligneuses</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="132" />
      <source>Natural mineral surfaces</source>
      <translation>Surfaces minérales</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="133" />
      <source>Beaches and dunes</source>
      <translation>Plages et dunes</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="134" />
      <source>Glaciers and perpetual snow</source>
      <translation>Glaciers et neiges éternelles</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="135" />
      <source>Water</source>
      <translation>Eau</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="140" />
      <source>Land cover (OSO, iota2)</source>
      <translation>Occupation du sol (OSO, iota2)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="143" />
      <source>Yearly land cover map from a year of Sentinel-2, trained on reference polygons, after the OSO product and its iota2 chain (Inglada et al. 2017, Remote Sens. 9(1):95): classes, confidence and number of clear dates.</source>
      <translation>Carte annuelle d'occupation du sol à partir d'une année de Sentinel-2, entraînée sur des polygones de référence, selon le produit OSO et sa chaîne iota2 (Inglada et al. 2017, Remote Sens. 9(1):95) : classes, confiance et nombre de dates sans nuage.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="146" />
      <source>Each acquisition's 10 bands (B2-B8A, B11, B12, 20 m) are masked where CLM, SAT or EDG is not zero, linearly gap-filled onto a regular date grid (every 10 days from the start, edges held), and NDVI, NDWI (SWIR minus NIR) and brightness are added per date, as iota2. Reference polygons are split per class into training and validation polygons (never pixels of one polygon on both sides). Training polygons whose class the images contradict are set aside and listed in the report (an addition to iota2: the consensus filter of Brodley and Friedl 1999; the polygons of each class dealt into 4 folds, each fold classified from its polygons' mean features by a Random Forest, 1-nearest-neighbour and a linear discriminant trained on the other folds; set aside when all three reject the class, and only while fewer than half of a class's polygons are). Pixels of the training polygons, at most a cap per class, train a Random Forest (100 trees, depth 25, min. 5 samples to split, square root of the features per split), one per eco-climatic region when regions are given. Class = majority of the trees' votes, confidence = share of the trees voting for it. The validation report gives the confusion matrix, overall accuracy, kappa and F1 on the validation polygons. Simplified: the map is made at 20 m (the 10 m bands are averaged; OSO also publishes 10 m); scikit-learn's minimum samples to split stands for OTB's minimum sample count; the date grid starts at the period's start (iota2: the earliest date of all tiles) and acquisitions up to 15 days outside the period anchor the gap-filling; one run (iota2 can fuse several); no vector product or majority-filter regularisation; pixels never seen clear are no data.</source>
      <translation>Les 10 bandes de chaque acquisition (B2-B8A, B11, B12, 20 m) sont masquées là où CLM, SAT ou EDG n'est pas nul, interpolées linéairement sur une grille de dates régulière (tous les 10 jours depuis le début, bords maintenus), et le NDVI, le NDWI (SWIR moins NIR) et la brillance sont ajoutés à chaque date, comme dans iota2. Les polygones de référence sont répartis par classe entre polygones d'apprentissage et de validation (jamais des pixels d'un même polygone des deux côtés). Les polygones d'apprentissage dont les images contredisent la classe sont écartés et listés dans le rapport (ajout à iota2 : le filtre par consensus de Brodley et Friedl 1999 ; les polygones de chaque classe sont répartis en 4 plis, chaque pli classé d'après les variables moyennes de ses polygones par une forêt aléatoire, le plus proche voisin et une analyse discriminante linéaire entraînés sur les autres plis ; écarté quand les trois rejettent la classe, et seulement tant que moins de la moitié des polygones d'une classe le sont). Les pixels des polygones d'apprentissage, plafonnés par classe, entraînent une forêt aléatoire (100 arbres, profondeur 25, au moins 5 échantillons pour diviser, racine carrée du nombre de variables par division), une par région éco-climatique quand des régions sont données. Classe = majorité des votes des arbres, confiance = part des arbres votant pour elle. Le rapport de validation donne la matrice de confusion, la précision globale, le kappa et le F1 sur les polygones de validation. Simplifié : la carte est produite à 20 m (les bandes à 10 m sont moyennées ; OSO publie aussi du 10 m) ; le nombre minimal d'échantillons pour diviser de scikit-learn remplace le nombre minimal d'échantillons d'OTB ; la grille de dates commence au début de la période (iota2 : la date la plus ancienne de toutes les tuiles) et les acquisitions jusqu'à 15 jours hors de la période ancrent l'interpolation ; une seule exécution (iota2 peut en fusionner plusieurs) ; pas de produit vecteur ni de régularisation par filtre majoritaire ; les pixels jamais vus sans nuage sont sans données.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="193" />
      <source>Crop yield (a posteriori)</source>
      <translation>Rendement des cultures (a posteriori)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="196" />
      <source>Yield of one crop per parcel after the season, from a year of Sentinel-2 and yields declared by farmers, aggregated to administrative units and compared with official statistics.</source>
      <translation>Rendement d'une culture par parcelle après la saison, à partir d'une année de Sentinel-2 et des rendements déclarés par les agriculteurs, agrégé par unités administratives et comparé aux statistiques officielles.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="199" />
      <source>The Sentinel-2 series is gap-filled onto a regular date grid with the iota2 features (10 bands, NDVI, NDWI, brightness per date), averaged over each parcel's interior pixels (one-pixel inner buffer; with a crop mask, only its pixels: a 0/1 raster or the crop classes of a land cover), plus the red-edge chlorophyll index of every date (B7/B5 - 1, Clevers and Gitelson 2013) and the season's integrated and maximum NDVI. Implausible declared yields (t/ha) are set aside: more than a factor 3.16 from the median declaration (unit slips), or a residual to the out-of-fold predictions of both Huber ridge regressions below with a modified z-score above 3.5 (Iglewicz and Hoaglin 1993). Five models are compared by 5-fold cross-validation over the training parcels: a Random Forest (a third of the features per split) with the bias correction of Zhang and Lu (2012), and ridge and Huber ridge regressions on all dates or on the crop's season (dates where the mean NDVI is above half its amplitude); the simplest within one standard error of the lowest RMSE (the one-SE rule of Breiman et al. 1984) is kept and predicts every parcel of the crop. A share of the declared parcels is held out and the validation report gives the cross-validation of every model, the declarations set aside, and the held-out residuals, RMSE, MAE and relative errors. Unit yields are the area-weighted mean of the parcels' predictions inside each unit, with the relative error to the official figure when given. Simplified: the published chain (HAL hal-02935469) is not public; the features and the forest follow the CESBIO Random Forest yield studies.</source>
      <translation>La série Sentinel-2 est interpolée sur une grille de dates régulière avec les variables iota2 (10 bandes, NDVI, NDWI, brillance par date), moyennées sur les pixels intérieurs de chaque parcelle (tampon intérieur d'un pixel ; avec un masque de culture, seulement ses pixels : un raster 0/1 ou les classes de culture d'une occupation du sol), plus l'indice de chlorophylle red-edge de chaque date (B7/B5 - 1, Clevers et Gitelson 2013) et le NDVI intégré et maximal de la saison. Les rendements déclarés (t/ha) invraisemblables sont écartés : à plus d'un facteur 3.16 de la déclaration médiane (erreurs d'unité), ou dont le résidu par rapport aux prédictions hors pli des deux régressions ridge à perte de Huber décrites plus loin a un z-score modifié supérieur à 3.5 (Iglewicz et Hoaglin 1993). Cinq modèles sont comparés par validation croisée à 5 plis sur les parcelles d'entraînement : une forêt aléatoire (Random Forest ; un tiers des variables par division) avec la correction de biais de Zhang et Lu (2012), et des régressions ridge et ridge à perte de Huber sur toutes les dates ou sur la saison de la culture (les dates où le NDVI moyen dépasse la moitié de son amplitude) ; le plus simple à moins d'une erreur type de la plus faible RMSE (la règle d'une erreur type de Breiman et al. 1984) est retenu et prédit chaque parcelle de la culture. Une part des parcelles déclarées est réservée et le rapport de validation donne la validation croisée de chaque modèle, les déclarations écartées, ainsi que les résidus, RMSE, MAE et erreurs relatives des parcelles réservées. Les rendements des unités sont la moyenne pondérée par la surface des prédictions des parcelles de chaque unité, avec l'erreur relative au chiffre officiel s'il est fourni. Simplifié : la chaîne publiée (HAL hal-02935469) n'est pas publique ; les variables et la forêt aléatoire suivent les études de rendement par forêt aléatoire du CESBIO.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="235" />
      <source>-800 g C/m² (uptake)</source>
      <translation>-800 g C/m² (absorption)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="236" />
      <source>0 (balance)</source>
      <translation>0 (équilibre)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="237" />
      <source>400 g C/m² (release)</source>
      <translation>400 g C/m² (émission)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="241" />
      <source>Crop biomass and CO2 fluxes (AgriCarbon-EO)</source>
      <translation>Biomasse et flux de CO2 des cultures (AgriCarbon-EO)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="244" />
      <source>Above-ground biomass at harvest and the season's carbon fluxes (GPP, ecosystem respiration, NEE) of crops, with their uncertainty, from Sentinel-2 green area index assimilated into the SAFY crop model, after AgriCarbon-EO (Wijmer et al. 2024, GMD 17:997-1021).</source>
      <translation>Biomasse aérienne à la récolte et flux de carbone de la saison (GPP, respiration de l'écosystème, NEE) des cultures, avec leur incertitude, à partir de l'indice de surface verte (GAI) Sentinel-2 assimilé dans le modèle de culture SAFY, selon AgriCarbon-EO (Wijmer et al. 2024, GMD 17:997-1021).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="248" />
      <source>Green area index (GAI) per clear date (CLM, SAT and EDG zero) at 10 m from a small neural network trained on PROSAIL simulations (PROSPECT-D + 4SAIL, leaf area 0-8, leaf angle 30-80 deg, chlorophyll, dry matter, water, soil brightness, sun zenith 15-80 deg, with reflectance noise), as AgriCarbon-EO and the Sentinel-2 toolbox's BVNET: inputs are the red-edge bands (B3 B4 B5 B6 B7 B8A B11 B12, or B3 B4 B8 when a product lacks them) and the sun zenith of the acquisition from its metadata; its uncertainty is the held-out retrieval error per GAI bin. SAFY (Duchemin et al. 2008; CESBIO defaults: PAR/global 0.47, k 0.5, Ms0 4.5 g/m², PlA 0.1573, Tmin 0, Topt 20, Tmax 37 degC, beta 2): from emergence day D0, dDAM = ELUE x 0.47 Rg (1 - exp(-0.5 GAI)) FT(T) Ks, leaf partition PRT = 1 - PlA exp(PlB SMT), senescence GAI (SMT - STT) / RS after STT degree-days, until GAI falls below Ms0 x SLA; with a rain column in the meteorology, the SAFYE water balance (a bucket of AWC mm, Turc ET0, FAO-56 crop coefficients) gives the water stress Ks. Carbon terms after SAFY-CO2 (Pique et al. 2020): NPP = 0.45 dDAM, autotrophic respiration (maintenance and growth), GPP = NPP + Ra; heterotrophic respiration from RothC pools (the previous crop's residues, 300 g C/m² split 1.44 into fast and slow parts decaying at 10 and 0.3 per year, and 5000 g C/m² of soil carbon, 2 % in the microbial biomass at 0.66 and the rest humified at 0.02 per year; RothC's temperature factor and, with rain, a dryness factor; of the carbon decomposed, the CO2 share of 25 % clay leaves the soil and the rest forms microbial biomass (46 %) and humus); NEE = Ra + Rh - GPP, negative when the field takes up CO2. Assimilation (AgriCarbon-EO, normalised importance sampling over a LUT): a seeded Latin hypercube of D0 (5-120 days after the start: sowings from 1 October to December), ELUE (1.2-3.6 g/MJ: stressed fields included), PlB, STT, RS, SLA (0.016-0.028 m²/g) and, with rain, AWC (50-200 mm) is run once per meteorology cell; members above 25 t/ha at harvest are dropped; since the GAI fixes only ELUE x SLA, ELUE is integrated out per member; each pixel or parcel weighs the members by exp(-1/2 sum ((GAI_obs - GAI_member) / sigma)^2), sigma^2 = GAI uncertainty^2 + 0.2^2 (model error), normalised; outputs are the weighted means, the biomass uncertainty the weighted standard deviation widened by a 10 % structural error. At least 5 clear dates are needed. Simplified: box band responses in PROSAIL, roots and grain not simulated, prior ranges set for winter cereals (inferred), one crop type; the season (start, end) must span emergence to harvest.</source>
      <translation>Indice de surface verte (GAI) à chaque date sans nuage (CLM, SAT et EDG nuls) à 10 m, par un petit réseau de neurones entraîné sur des simulations PROSAIL (PROSPECT-D + 4SAIL, indice foliaire 0-8, angle foliaire 30-80 deg, chlorophylle, matière sèche, eau, brillance du sol, zénith solaire 15-80 deg, avec un bruit de réflectance), comme AgriCarbon-EO et BVNET de la Sentinel-2 toolbox : les entrées sont les bandes red-edge (B3 B4 B5 B6 B7 B8A B11 B12, ou B3 B4 B8 quand un produit ne les a pas) et le zénith solaire de l'acquisition tiré de ses métadonnées ; son incertitude est l'erreur d'estimation sur des simulations réservées, par classe de GAI. SAFY (Duchemin et al. 2008 ; valeurs par défaut du CESBIO : PAR/global 0.47, k 0.5, Ms0 4.5 g/m², PlA 0.1573, Tmin 0, Topt 20, Tmax 37 degC, beta 2) : à partir du jour de levée D0, dDAM = ELUE x 0.47 Rg (1 - exp(-0.5 GAI)) FT(T) Ks, répartition foliaire PRT = 1 - PlA exp(PlB SMT), sénescence GAI (SMT - STT) / RS après STT degrés-jours, jusqu'à ce que le GAI descende sous Ms0 x SLA ; avec une colonne rain dans la météorologie, le bilan hydrique de SAFYE (un réservoir de AWC mm, ET0 de Turc, coefficients culturaux FAO-56) donne le stress hydrique Ks. Termes carbone selon SAFY-CO2 (Pique et al. 2020) : NPP = 0.45 dDAM, respiration autotrophe (entretien et croissance), GPP = NPP + Ra ; respiration hétérotrophe issue des compartiments de RothC (les résidus de la culture précédente, 300 g C/m² répartis selon le rapport 1.44 en parties rapide et lente se décomposant à 10 et 0.3 par an, et 5000 g C/m² de carbone du sol, dont 2 % en biomasse microbienne à 0.66 et le reste humifié à 0.02 par an ; le facteur de température de RothC et, avec la pluie, un facteur de sécheresse ; du carbone décomposé, la part de CO2 correspondant à 25 % d'argile quitte le sol et le reste forme de la biomasse microbienne (46 %) et de l'humus) ; NEE = Ra + Rh - GPP, négatif quand le champ absorbe du CO2. Assimilation (AgriCarbon-EO, échantillonnage d'importance normalisé sur une table de correspondance (LUT)) : un hypercube latin à graine fixée de D0 (5-120 jours après le début : semis du 1er octobre à décembre), ELUE (1.2-3.6 g/MJ : champs stressés inclus), PlB, STT, RS, SLA (0.016-0.028 m²/g) et, avec la pluie, AWC (50-200 mm) est simulé une fois par cellule météorologique ; les membres au-dessus de 25 t/ha à la récolte sont écartés ; comme le GAI ne fixe que le produit ELUE x SLA, ELUE est intégré (marginalisé) pour chaque membre ; chaque pixel ou parcelle pondère les membres par exp(-1/2 sum ((GAI_obs - GAI_member) / sigma)^2), sigma^2 = incertitude du GAI^2 + 0.2^2 (erreur de modèle), normalisés ; les sorties sont les moyennes pondérées, l'incertitude de la biomasse l'écart type pondéré élargi par une erreur structurelle de 10 %. Au moins 5 dates sans nuage sont nécessaires. Simplifications : réponses spectrales des bandes rectangulaires dans PROSAIL, racines et grain non simulés, plages a priori fixées pour les céréales d'hiver (déduites), un seul type de culture ; la saison (début, fin) doit couvrir la période de la levée à la récolte.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="318" />
      <source>Grassland first mowing date</source>
      <translation>Date de première fauche des prairies</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="321" />
      <source>Day of the year of the first mowing of every grassland pixel (and parcel) from a season of Sentinel-2, after Rivas et al. 2024 (Remote Sens. Environ. 315:114476): a regression trained on field observations, or an NDVI drop detection when none are given.</source>
      <translation>Jour de l'année de la première fauche de chaque pixel (et parcelle) de prairie à partir d'une saison de Sentinel-2, selon Rivas et al. 2024 (Remote Sens. Environ. 315:114476) : une régression entraînée sur des observations de terrain, ou une détection par chute de NDVI en l'absence d'observations.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="325" />
      <source>Grassland pixels come from a mask, from classes of a land-cover raster (OSO class 13 by default) or from parcels (all given sources must agree). Each acquisition's B2, B3, B4, B8 and B11 (20 m) and its NDVI are masked where CLM, SAT or EDG is not zero and linearly gap-filled onto a regular date grid (every 5 days by default). With field observations (points or polygons with a date; a point inside a parcel labels the whole parcel) a Random Forest regression (the paper's classical baseline) learns the day of year from the gap-filled series; the uncertainty is the standard deviation of its trees' predictions, and a cross-validation grouped by spatial clusters of observations compares it with the detection on the same held-out observations in a report: unless a one-sided paired Wilcoxon test (5 %, on the observations the detection dates) finds it more accurate, the map is dated by the detection. The detection (the paper's threshold baseline) always decides which pixels are mown: on the clear dates, single-date dips that recover at once (unmasked clouds) are dropped unless the haze index (blue - 0.5 red, Zhang et al. 2002) fell (a fast-regrowing cut), and dates whose haze index rises 3 noise standard deviations are dropped (haze), as are two-date dips that recover within 15 days over which the index's mean rises 3 noise standard deviations; NDVI is measured against the NDVI of the area's unmown grass per date (an upper quantile of its grassland pixels: drought browning is shared, cuts are not); after the spring peak the first fall between consecutive clear dates (or a few within 10 days) deeper than a fixed drop, a share of the season's amplitude and 3 noise standard deviations, once the decline seen on both sides is taken off (grazing), or a significant fall ending 0.2 below the pixel's undisturbed course (Schwieder et al. 2022, simplified to a quadratic upper envelope), is the first cut. A step of up to 10 days is dated at its middle, a longer one back from its first low date by the hay's days (7) plus the regrowth seen after it (within its last 25 days), with the step / sqrt(12) as uncertainty. The pixel stays undecided (65535) when an earlier cut may hide: a clear gap of 25 days or more before the cut, a step of 40 days or more (two cuts fit in it), a cut first seen at the end of a clear gap of 25 days or more with no clear date within 15 days after it (its regrowth unseen, it may lie anywhere in the gap's last 25 days), or at the end of a clear gap of 15 days or more a shallow dip from which the sward regrows before the cut, or a dip of its water index (NDMI, B8 and B11, which saturates at a larger leaf area than NDVI) more than 3 standard deviations of the difference of two noisy dates below the date before it and the regrown sward. Simplified: the paper's best model, the L-TAE attention network (MAE within 6 days), needs PyTorch and is not included; the paper's exact bands, dates and thresholds are not public; 20 m grid.</source>
      <translation>Les pixels de prairie proviennent d'un masque, de classes d'un raster d'occupation du sol (classe OSO 13 par défaut) ou de parcelles (toutes les sources fournies doivent concorder). Les bandes B2, B3, B4, B8 et B11 (20 m) de chaque acquisition et son NDVI sont masqués là où CLM, SAT ou EDG n'est pas nul, puis interpolés linéairement sur une grille de dates régulière (tous les 5 jours par défaut). Avec des observations de terrain (points ou polygones datés ; un point situé dans une parcelle étiquette toute la parcelle), une régression par forêt aléatoire (Random Forest, la référence classique de l'article) apprend le jour de l'année à partir des séries interpolées ; l'incertitude est l'écart type des prédictions de ses arbres, et une validation croisée groupée par agrégats spatiaux d'observations la compare à la détection sur les mêmes observations réservées, dans un rapport : sauf si un test de Wilcoxon apparié unilatéral (5 %, sur les observations que la détection date) la trouve plus précise, la carte est datée par la détection. La détection (la référence à seuils de l'article) décide toujours quels pixels sont fauchés : sur les dates sans nuage, les creux d'une seule date aussitôt résorbés (nuages non masqués) sont écartés, sauf si l'indice de brume (bleu - 0.5 rouge, Zhang et al. 2002) a baissé (une fauche qui repousse vite), et les dates dont l'indice de brume monte de 3 écarts types du bruit sont écartées (brume), de même que les creux de deux dates résorbés en 15 jours sur lesquels la moyenne de l'indice monte de 3 écarts types du bruit ; le NDVI est mesuré par rapport au NDVI de l'herbe non fauchée de la zone à chaque date (un quantile supérieur de ses pixels de prairie : le jaunissement dû à la sécheresse est commun à toutes, les fauches ne le sont pas) ; après le pic printanier, la première chute entre dates sans nuage consécutives (ou sur quelques-unes en 10 jours) plus forte qu'une baisse fixe, qu'une part de l'amplitude de la saison et que 3 écarts types du bruit, une fois retiré le déclin observé de part et d'autre (pâturage), ou une chute significative finissant 0.2 sous la trajectoire non perturbée du pixel (Schwieder et al. 2022, simplifiée en une enveloppe supérieure quadratique), est la première fauche. Une marche de 10 jours au plus est datée en son milieu, une plus longue en remontant depuis sa première date basse du temps du foin (7 jours) plus la repousse observée après elle (dans ses 25 derniers jours), avec la marche / sqrt(12) comme incertitude. Le pixel reste indéterminé (65535) quand une fauche plus précoce peut se cacher : une période d'au moins 25 jours sans date sans nuage avant la fauche, une marche d'au moins 40 jours (deux fauches y tiennent), une fauche vue pour la première fois à la fin d'une période d'au moins 25 jours sans date sans nuage, sans date sans nuage dans les 15 jours qui suivent (sa repousse n'est pas vue : elle peut se trouver n'importe où dans les 25 derniers jours de la période), ou, à la fin d'une période d'au moins 15 jours sans date sans nuage, un creux peu profond après lequel l'herbe repousse avant la fauche, ou un creux de son indice d'eau (NDMI, B8 et B11, qui sature à une surface foliaire plus grande que le NDVI) de plus de 3 écarts types de la différence de deux dates bruitées sous la date qui le précède et sous l'herbe repoussée. Simplifications : le meilleur modèle de l'article, le réseau à attention L-TAE (MAE de 6 jours au plus), nécessite PyTorch et n'est pas inclus ; les bandes, dates et seuils exacts de l'article ne sont pas publics ; grille à 20 m.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="389" />
      <source>Forest clear-cuts (Sentinel-1)</source>
      <translation>Coupes rases forestières (Sentinel-1)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="392" />
      <source>Clear-cuts and their detection date every 15 days from Sentinel-1 time series (ascending and descending orbits), after the radar-shadow method of Bouvet et al. 2018 (Remote Sens. 10:1250) used by Mermoz et al. 2024 (IEEE JSTARS 17:13743) for France.</source>
      <translation>Coupes rases et leur date de détection tous les 15 jours à partir de séries temporelles Sentinel-1 (orbites ascendantes et descendantes), selon la méthode des ombres radar de Bouvet et al. 2018 (Remote Sens. 10:1250) utilisée par Mermoz et al. 2024 (IEEE JSTARS 17:13743) pour la France.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="396" />
      <source>Every acquisition is first divided by the median backscatter of the forest on that acquisition, so that what darkens or brightens the whole forest at once (wet snow, frost, rain, seasonal drift) cancels. Then per orbit (each sees the ground from its own side), for every acquisition t taken as a possible change: R = 10 log10(mean after / mean before) with up to 20 images before t, averaged over VV and VH. A new radar shadow, cast by the remaining forest wall on the near-range border of a fresh cut, is a drop of R below -4 dB over the 5 images after t that stays below -3 dB on both the first 3 and the last 2 of them, on a pixel that was not dark before (above -20 dB); the shadow strip is grown over R below -3 dB (at least 3 pixels), then the cut patch is rebuilt from it towards far range up to the forest wall that brightens and over the smoothed decrease of the cleared ground (R below -1.5 dB), at most 400 m away, holes filled, inside the forest mask. Orbits are combined (earliest detection), patches smaller than the minimum mapping unit dropped from the raster and the polygons, and each pixel is dated by the end of the 15-day period (counted from 1 January 2018) in which its cut was confirmed. Changes too close to the end of the series to be confirmed are marked undecided, not cut; the log says up to which date the result is final. Simplified: one forest level per acquisition over the whole area (no local one), no multi-temporal speckle filter and no DEM layover/shadow mask; thresholds are those of the published shadow method's re-implementations, the operational SUFOSAT code and calibration are not public.</source>
      <translation>Chaque acquisition est d'abord divisée par la rétrodiffusion médiane de la forêt sur cette acquisition, de sorte que ce qui assombrit ou éclaircit toute la forêt à la fois (neige humide, gel, pluie, dérive saisonnière) s'annule. Puis, par orbite (chacune voit le sol de son propre côté), pour chaque acquisition t prise comme changement possible : R = 10 log10(moyenne après / moyenne avant) avec jusqu'à 20 images avant t, moyenné sur VV et VH. Une nouvelle ombre radar, projetée par la lisière restante du côté proche (near range) d'une coupe récente, est une chute de R sous -4 dB sur les 5 images après t qui reste sous -3 dB à la fois sur les 3 premières et sur les 2 dernières, sur un pixel qui n'était pas sombre avant (au-dessus de -20 dB) ; la bande d'ombre s'étend sur R sous -3 dB (au moins 3 pixels), puis la coupe est reconstruite à partir d'elle vers le côté lointain (far range), jusqu'à la lisière qui s'éclaircit, sur la baisse lissée du sol mis à nu (R sous -1,5 dB), à 400 m au plus, trous comblés, dans le masque de forêt. Les orbites sont combinées (détection la plus précoce), les coupes plus petites que l'unité minimale de cartographie écartées du raster et des polygones, et chaque pixel est daté par la fin de la période de 15 jours (comptée depuis le 1er janvier 2018) où sa coupe a été confirmée. Les changements trop proches de la fin de la série pour être confirmés sont marqués indéterminés, et non coupés ; le journal indique jusqu'à quelle date le résultat est définitif. Simplifié : un seul niveau de forêt par acquisition pour toute la zone (pas de niveau local), pas de filtre multitemporel du chatoiement ni de masque de repliement/ombre issu d'un MNT ; les seuils sont ceux des réimplémentations publiées de la méthode des ombres, le code et la calibration opérationnels de SUFOSAT ne sont pas publics.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="437" />
      <source>Forest height and biomass</source>
      <translation>Hauteur et biomasse de la forêt</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="440" />
      <source>Canopy height (m) and above-ground biomass (t/ha) of the forest from Sentinel-2 seasonal composites (and optionally Sentinel-1 and a DEM) trained on GEDI lidar heights or reference points, after Morin et al. 2019 (Remote Sens. 11:1275) and 2023 (arXiv:2310.14662).</source>
      <translation>Hauteur de la canopée (m) et biomasse aérienne (t/ha) de la forêt à partir de synthèses saisonnières Sentinel-2 (et facultativement de Sentinel-1 et d'un MNT) entraînées sur les hauteurs lidar GEDI ou des points de référence, d'après Morin et al. 2019 (Remote Sens. 11:1275) et 2023 (arXiv:2310.14662).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="444" />
      <source>Mapped at 10 m (the 20 m bands repeated onto the 10 m grid). The period is cut into equal seasons; per season the median of the clear dates (CLM, SAT and EDG masks) of the 10 Sentinel-2 bands, with the NDVI and NDWI of that median, and the optional elevation are the predictors, each averaged over three windows around the pixel: the pixel, 3 x 3 pixels (the 25 m GEDI footprint) and 7 x 7 pixels (the footprint and its location error), with the temporal mean and spread of Sentinel-1 VV and VH (dB) and their ratio when a Sentinel-1 folder is given. GEDI L2A shots are kept when quality_flag = 1, degrade_flag = 0, sensitivity is at least 0.95 (0.98 on coverage beams), leaf-on and rh98 at most 50 m; leaf-on from leaf_off_flag (product version 002) or, in version 001 granules that lack it, from the month (June-October north of the tropics, December-April south of them, any month in the tropics); other GEDI products (L1B, L2B...) in the folder are skipped with a warning. With a DEM, shots whose lowest mode lies more than 3 robust standard deviations (1.4826 MAD) from the DEM's ground after their median offset are dropped (the waveform missed the ground); on slopes the tolerance is widened, in quadrature, by twice the geolocation error (10 m for product version 002, 20 m for version 001) times the slope. A regression-enhanced Random Forest (Zhang et al. 2019: a ridge regression on the standardised predictors carries the trend, so tall stands are not flattened to the heights trained on, and a Random Forest of 100 trees, a third of the predictors per split, learns what it leaves) is trained on the footprints of part of the squares of 1 km, validated on the others (a spatial hold-out), and maps the height (0-50 m); footprints whose out-of-bag residual lies beyond 3 robust standard deviations are dropped and the model fitted again; the uncertainty is the spread of the trees. At most 200 000 shots over the area are read (a seeded uniform sample beyond) and at most 20 000 footprints used, drawn in turns from every square (seeded), which bounds memory and the forest's size on a tile of 10^5 to 10^6 shots. Biomass is AGB = a H^b per forest type (conifer classes of the land cover apart), its uncertainty propagated to first order. Simplified: no ALOS-2 PALSAR-2 or texture predictors, no seasonal Sentinel-1 statistics and no feature selection; the allometric defaults are typical values, not the published national equations.</source>
      <translation>Cartographié à 10 m (les bandes à 20 m répétées sur la grille de 10 m). La période est découpée en saisons égales ; par saison, la médiane des dates claires (masques CLM, SAT et EDG) des 10 bandes Sentinel-2, avec le NDVI et le NDWI de cette médiane, et l'élévation facultative sont les prédicteurs, chacun moyenné sur trois fenêtres autour du pixel : le pixel, 3 x 3 pixels (l'empreinte GEDI de 25 m) et 7 x 7 pixels (l'empreinte et son erreur de localisation), avec la moyenne et la dispersion temporelles de VV et VH Sentinel-1 (dB) et leur rapport quand un dossier Sentinel-1 est fourni. Les tirs GEDI L2A sont conservés quand quality_flag = 1, degrade_flag = 0, la sensibilité est d'au moins 0.95 (0.98 sur les faisceaux de couverture), en période feuillée et avec rh98 d'au plus 50 m ; la période feuillée est donnée par leaf_off_flag (version 002 du produit) ou, dans les granules de version 001 qui n'ont pas cet indicateur, par le mois (juin-octobre au nord des tropiques, décembre-avril au sud, tout mois entre les tropiques) ; les autres produits GEDI (L1B, L2B...) présents dans le dossier sont ignorés avec un avertissement. Avec un MNT, les tirs dont le mode le plus bas s'écarte du sol du MNT de plus de 3 écarts-types robustes (1.4826 MAD), après leur décalage médian, sont écartés (la forme d'onde a manqué le sol) ; sur les pentes, la tolérance est élargie, en quadrature, de deux fois l'erreur de géolocalisation (10 m pour la version 002 du produit, 20 m pour la version 001) multipliée par la pente. Une forêt aléatoire renforcée par régression (Zhang et al. 2019 : une régression ridge sur les prédicteurs standardisés porte la tendance, si bien que les peuplements hauts ne sont pas ramenés aux hauteurs apprises, et une forêt aléatoire (Random Forest) de 100 arbres, un tiers des prédicteurs par division, apprend ce qu'elle laisse) est entraînée sur les empreintes d'une partie des carrés de 1 km, validée sur les autres (validation spatiale réservée), et cartographie la hauteur (0-50 m) ; les empreintes dont le résidu hors sac dépasse 3 écarts-types robustes sont écartées et le modèle réajusté ; l'incertitude est la dispersion des arbres. Au plus 200 000 tirs sont lus sur la zone (un échantillon uniforme initialisé par la graine au-delà) et au plus 20 000 empreintes utilisées, tirées à tour de rôle dans chaque carré (tirage initialisé par la graine), ce qui borne la mémoire et la taille de la forêt sur une tuile de 10^5 à 10^6 tirs. La biomasse est AGB = a H^b par type de forêt (classes de conifères de l'occupation du sol à part), son incertitude propagée au premier ordre. Simplifié : pas de prédicteurs ALOS-2 PALSAR-2 ni de texture, pas de statistiques saisonnières Sentinel-1 et pas de sélection de variables ; les valeurs allométriques par défaut sont des valeurs typiques, non les équations nationales publiées.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="508" />
      <source>Irrigated crops</source>
      <translation>Cultures irriguées</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="511" />
      <source>Irrigated and rainfed crop parcels from Sentinel-1, Sentinel-2 and daily rain, and the share of irrigated surface per square kilometre, after Pageot et al. 2020 (Remote Sens. 12:3044).</source>
      <translation>Parcelles agricoles irriguées et en pluvial à partir de Sentinel-1, Sentinel-2 et des précipitations journalières, et part de surface irriguée par kilomètre carré, d'après Pageot et al. 2020 (Remote Sens. 12:3044).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="514" />
      <source>Per parcel (the mean of its pixels): the monthly cumulative features of Pageot et al. (the sums over each month of the NDVI, NDRE (B8A, B5) and NDWI (B8, B11) of Sentinel-2 gap-filled every 10 days with the CLM, SAT and EDG masks; the monthly means of Sentinel-1 VV and VH, of the power in dB, orbits pooled, and VH/VV), the rises of VV above the median of the parcels of its 10 km square (Bazzi et al. 2020), and from the daily rain (a table, or rasters where each parcel takes the rain of its cell) the VV on acquisitions with no recent rain (antecedent precipitation index below 5 mm) and its rises up to them: the rain is read as a water balance, never as a value per cell, which would tell the model where a parcel lies. With the declared crops, each parcel is also read against the parcels of its crop, and its Sentinel-1 wetting events without rain are counted. Features that need two sources: the wetting events where Sentinel-2 shows an open canopy (NDVI below 0.75), NDVI and NDWI above the crop's on dry dates, NDWI rises with no rain between. One Random Forest per sensor (Sentinel-2; Sentinel-1 read with the rain and the canopy) is fused by stacking (a logistic regression on their out-of-bag probabilities); the fusion, each sensor, Sentinel-1 alone and one forest on all features are compared by 3 x 5-fold cross-validation on the training parcels, the fusion maps every parcel unless another model is better by more than one standard error (irrigated above a probability of 0.5), and all are scored on the held-out parcels. Simplified: parcels only, no post-processing; Pageot et al. use one forest on all features.</source>
      <translation>Par parcelle (la moyenne de ses pixels) : les variables mensuelles cumulées de Pageot et al. (les sommes sur chaque mois du NDVI, du NDRE (B8A, B5) et du NDWI (B8, B11) de Sentinel-2 interpolés tous les 10 jours avec les masques CLM, SAT et EDG ; les moyennes mensuelles de VV et VH Sentinel-1, de la puissance en dB, orbites regroupées, et de VH/VV), les hausses de VV au-dessus de la médiane des parcelles de son carré de 10 km (Bazzi et al. 2020) et, à partir de la pluie journalière (une table, ou des rasters où chaque parcelle prend la pluie de sa maille), le VV aux acquisitions sans pluie récente (indice de précipitations antérieures sous 5 mm) et ses hausses jusqu'à ces acquisitions : la pluie est lue comme un bilan hydrique, jamais comme une valeur par maille, qui indiquerait au modèle où se trouve une parcelle. Avec les cultures déclarées, chaque parcelle est aussi lue par rapport aux parcelles de sa culture, et ses épisodes d'humectation Sentinel-1 sans pluie sont comptés. Variables qui demandent deux sources : les épisodes d'humectation là où Sentinel-2 montre un couvert ouvert (NDVI sous 0.75), le NDVI et le NDWI au-dessus de ceux de la culture aux dates sèches, les hausses du NDWI sans pluie entre deux dates. Une forêt aléatoire (Random Forest) par capteur (Sentinel-2 ; Sentinel-1 lu avec la pluie et le couvert) est fusionnée par empilement (une régression logistique sur leurs probabilités hors sac) ; la fusion, chaque capteur, Sentinel-1 seul et une forêt sur toutes les variables sont comparés par validation croisée 3 x 5 plis sur les parcelles d'apprentissage, la fusion cartographie chaque parcelle sauf si un autre modèle fait mieux de plus d'un écart type (irriguée au-dessus d'une probabilité de 0.5), et tous sont évalués sur les parcelles réservées. Simplifié : parcelles uniquement, pas de post-traitement ; Pageot et al. utilisent une seule forêt sur toutes les variables.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="84" />
      <source>Snow cover duration</source>
      <translation>Durée d'enneigement</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="85" />
      <source>Number of snow days in the period (days), from the daily gap-filled series.</source>
      <translation>Nombre de jours d'enneigement sur la période (jours), d'après la série journalière interpolée.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="87" />
      <source>Snow onset date</source>
      <translation>Date d'apparition de la neige</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="88" />
      <source>First day of the longest snow period, counted from the start of the period (day 1); 0 when no snow.</source>
      <translation>Premier jour de la plus longue période d'enneigement, compté depuis le début de la période (jour 1) ; 0 en l'absence de neige.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="91" />
      <source>Snow melt-out date</source>
      <translation>Date de disparition de la neige</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="92" />
      <source>Last day of the longest snow period, counted from the start of the period (day 1); 0 when no snow.</source>
      <translation>Dernier jour de la plus longue période d'enneigement, compté depuis le début de la période (jour 1) ; 0 en l'absence de neige.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="95" />
      <source>Number of clear observations</source>
      <translation>Nombre d'observations sans nuage</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="96" />
      <source>Number of acquisitions in the period where the pixel was seen cloud-free.</source>
      <translation>Nombre d'acquisitions de la période où le pixel a été observé sans nuage.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="99" />
      <source>Snow map</source>
      <translation>Carte de neige</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="100" />
      <source>Snow map of one acquisition: 0 no snow, 100 snow, 205 cloud, 255 no data.</source>
      <translation>Carte de neige d'une acquisition : 0 pas de neige, 100 neige, 205 nuage, 255 pas de données.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="102" />
      <source>Fractional snow cover</source>
      <translation>Fraction de couverture neigeuse</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="103" />
      <source>Fraction of the pixel covered by snow (%), 205 cloud, 255 no data.</source>
      <translation>Fraction du pixel couverte de neige (%), 205 nuage, 255 pas de données.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="173" />
      <source>Class code of every pixel (OSO nomenclature when the reference uses it); 0 = no data.</source>
      <translation>Code de classe de chaque pixel (nomenclature OSO si la référence l'utilise) ; 0 = pas de données.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="177" />
      <source>Confidence</source>
      <translation>Confiance</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="178" />
      <source>Share of the Random Forest's trees voting for the mapped class (%).</source>
      <translation>Part des arbres de la forêt aléatoire votant pour la classe cartographiée (%).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="181" />
      <source>Number of clear dates</source>
      <translation>Nombre de dates sans nuage</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="182" />
      <source>Number of acquisitions in which the pixel was seen clear (no cloud, saturation or edge flag).</source>
      <translation>Nombre d'acquisitions où le pixel a été observé sans nuage (aucun indicateur de nuage, de saturation ou de bord).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="225" />
      <source>Yield per pixel</source>
      <translation>Rendement par pixel</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="226" />
      <source>Yield predicted for every pixel of the crop's parcels, in the crop mask when one is given (t/ha).</source>
      <translation>Rendement prédit pour chaque pixel des parcelles de la culture, dans le masque de culture s'il est fourni (t/ha).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="286" />
      <source>Above-ground biomass at harvest</source>
      <translation>Biomasse aérienne à la récolte</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="287" />
      <source>Posterior mean of the dry above-ground biomass at the end of the season (t/ha).</source>
      <translation>Moyenne a posteriori de la biomasse aérienne sèche en fin de saison (t/ha).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="291" />
      <source>Biomass uncertainty</source>
      <translation>Incertitude de la biomasse</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="292" />
      <source>Posterior standard deviation of the biomass at harvest (t/ha).</source>
      <translation>Écart type a posteriori de la biomasse à la récolte (t/ha).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="296" />
      <source>Gross primary production (GPP)</source>
      <translation>Production primaire brute (GPP)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="297" />
      <source>Carbon taken up by photosynthesis over the season (g C/m²), posterior mean.</source>
      <translation>Carbone absorbé par photosynthèse au cours de la saison (g C/m²), moyenne a posteriori.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="302" />
      <source>Ecosystem respiration (Reco)</source>
      <translation>Respiration de l'écosystème (Reco)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="303" />
      <source>Carbon released by the crop and the soil over the season (g C/m²), posterior mean.</source>
      <translation>Carbone émis par la culture et le sol au cours de la saison (g C/m²), moyenne a posteriori.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="308" />
      <source>Net ecosystem exchange (NEE, negative = uptake)</source>
      <translation>Échange net de l'écosystème (NEE, négatif = absorption)</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="309" />
      <source>NEE = Reco - GPP over the season (g C/m²): negative when the field took up more CO2 than it released, positive when it released more.</source>
      <translation>NEE = Reco - GPP sur la saison (g C/m²) : négatif quand le champ a absorbé plus de CO2 qu'il n'en a émis, positif quand il en a émis davantage.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="367" />
      <source>First mowing day of year</source>
      <translation>Jour de l'année de la première fauche</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="368" />
      <source>Day of the year of the first mowing; 0 = not mown or not grassland, 65535 = grassland seen clear too rarely, or a cut found that cannot be dated: a long cloud gap before it may hide an earlier one, or it lies anywhere in such a gap.</source>
      <translation>Jour de l'année de la première fauche ; 0 = non fauché ou pas une prairie, 65535 = prairie trop rarement observée sans nuage, ou fauche détectée qui ne peut pas être datée : une longue période nuageuse avant elle pourrait en cacher une plus précoce, ou elle peut se trouver n'importe où dans une telle période.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="379" />
      <source>First mowing date uncertainty</source>
      <translation>Incertitude de la date de première fauche</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="380" />
      <source>Uncertainty of the first mowing date as a standard deviation (days); no data where no date.</source>
      <translation>Incertitude de la date de première fauche, sous forme d'écart type (jours) ; pas de données là où il n'y a pas de date.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="420" />
      <source>Clear-cut detection date</source>
      <translation>Date de détection de la coupe rase</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="421" />
      <source>Detection date of the clear-cut as days since 1 January 2018 (the end of the 15-day period in which it was confirmed); 0 = forest without clear-cut, 1 = undecided (a change too close to the end of the series to be confirmed), 65535 = not forest.</source>
      <translation>Date de détection de la coupe rase en jours depuis le 1er janvier 2018 (fin de la période de 15 jours où elle a été confirmée) ; 0 = forêt sans coupe rase, 1 = indéterminé (un changement trop proche de la fin de la série pour être confirmé), 65535 = hors forêt.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="481" />
      <source>Canopy height</source>
      <translation>Hauteur de la canopée</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="482" />
      <source>Forest canopy height (m, the GEDI rh98 it is trained on); no data outside the forest.</source>
      <translation>Hauteur de la canopée de la forêt (m, le rh98 GEDI sur lequel elle est entraînée) ; pas de données hors de la forêt.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="487" />
      <source>Canopy height uncertainty</source>
      <translation>Incertitude de la hauteur de la canopée</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="488" />
      <source>Standard deviation of the height predicted by the trees of the forest (m).</source>
      <translation>Écart type de la hauteur prédite par les arbres de la forêt aléatoire (m).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="491" />
      <source>Above-ground biomass</source>
      <translation>Biomasse aérienne</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="492" />
      <source>Above-ground biomass (t/ha) from the canopy height through the allometric relation of the forest type.</source>
      <translation>Biomasse aérienne (t/ha) tirée de la hauteur de la canopée par la relation allométrique du type de forêt.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="497" />
      <source>Above-ground biomass uncertainty</source>
      <translation>Incertitude de la biomasse aérienne</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="498" />
      <source>Standard deviation of the biomass propagated from the height uncertainty (t/ha).</source>
      <translation>Écart type de la biomasse propagé depuis l'incertitude de la hauteur (t/ha).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="539" />
      <source>1 irrigated, 0 rainfed, 255 no data.</source>
      <translation>1 irrigué, 0 pluvial, 255 pas de données.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="541" />
      <source>Probability of irrigation</source>
      <translation>Probabilité d'irrigation</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="542" />
      <source>Probability of irrigation given by the model that made the map (%).</source>
      <translation>Probabilité d'irrigation donnée par le modèle qui a fait la carte (%).</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="546" />
      <source>Irrigated surface per km²</source>
      <translation>Surface irriguée par km²</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="547" />
      <source>Share of every square kilometre mapped irrigated (%), on a 1 km grid.</source>
      <translation>Part de chaque kilomètre carré cartographiée comme irriguée (%), sur une grille de 1 km.</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="86" />
      <source>days</source>
      <translation>jours</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="90" />
      <source>day of period</source>
      <translation>jour de la période</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="98" />
      <source>dates</source>
      <translation>dates</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="228" />
      <source>t/ha</source>
      <translation>t/ha</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="301" />
      <source>g C/m²</source>
      <translation>g C/m²</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="378" />
      <source>day of year</source>
      <translation>jour de l'année</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="430" />
      <source>days since 2018-01-01</source>
      <translation>jours depuis le 2018-01-01</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="486" />
      <source>m</source>
      <translation>m</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="373" />
      <source>Not mown or not grassland</source>
      <translation>Non fauché ou pas une prairie</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="374" />
      <source>1 April</source>
      <translation>1er avril</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="374" />
      <source>1 May</source>
      <translation>1er mai</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="375" />
      <source>1 June</source>
      <translation>1er juin</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="376" />
      <source>1 July</source>
      <translation>1er juillet</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="376" />
      <source>1 August</source>
      <translation>1er août</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="377" />
      <source>1 September</source>
      <translation>1er septembre</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="377" />
      <source>1 October</source>
      <translation>1er octobre</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="426" />
      <source>Forest without clear-cut</source>
      <translation>Forêt sans coupe rase</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="427" />
      <source>Undecided: too few acquisitions after the change</source>
      <translation>Indéterminé : trop peu d'acquisitions après le changement</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="540" />
      <source>Rainfed</source>
      <translation>Pluvial</translation>
    </message>
    <message>
      <location filename="../core/catalog.py" line="540" />
      <source>Irrigated</source>
      <translation>Irrigué</translation>
    </message>
    <message>
      <location filename="../core/clip.py" line="29" />
      <source>The extent does not overlap the result {src}.</source>
      <translation>L'emprise ne recoupe pas le résultat {src}.</translation>
    </message>
    <message>
      <location filename="../core/crop_carbon.py" line="95" />
      <source>The rain column of the meteorology table {path} lacks {n} days of the season (first missing: {day}): fill them (0 for dry days) or remove the column.</source>
      <translation>Il manque {n} jours de la saison dans la colonne rain de la table météorologique {path} (premier jour manquant : {day}) : complétez-les (0 pour les jours sans pluie) ou supprimez la colonne.</translation>
    </message>
    <message>
      <location filename="../core/crop_carbon.py" line="100" />
      <source>The rain column of the meteorology table {path} holds values outside 0-{max} mm per day: give daily rain in mm.</source>
      <translation>La colonne rain de la table météorologique {path} contient des valeurs hors de 0-{max} mm par jour : fournissez la pluie journalière en mm.</translation>
    </message>
    <message>
      <location filename="../core/crop_carbon.py" line="112" />
      <source>Only {n} Sentinel-2 acquisitions between {start} and {end} in {folder}: the assimilation needs at least {min} clear dates per pixel over the crop season.</source>
      <translation>Seulement {n} acquisitions Sentinel-2 entre {start} et {end} dans {folder} : l'assimilation nécessite au moins {min} dates sans nuage par pixel sur la saison culturale.</translation>
    </message>
    <message>
      <location filename="../core/crop_carbon.py" line="181" />
      <source>Give the daily meteorology either as a CSV table or as a folder of daily rasters (one of the two).</source>
      <translation>Fournissez la météorologie journalière soit sous forme de table CSV, soit sous forme de dossier de rasters journaliers (l'un des deux).</translation>
    </message>
    <message>
      <location filename="../core/crop_carbon.py" line="184" />
      <source>The ensemble needs at least 100 members (got {n}).</source>
      <translation>L'ensemble nécessite au moins 100 membres ({n} fournis).</translation>
    </message>
    <message>
      <location filename="../core/crop_carbon.py" line="251" />
      <source>No pixel has {min} clear Sentinel-2 dates in the season (or lies in the crop mask and a meteorology cell): nothing to estimate.</source>
      <translation>Aucun pixel n'a {min} dates Sentinel-2 sans nuage dans la saison (ou ne se trouve à la fois dans le masque de la culture et dans une cellule météorologique) : rien à estimer.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="87" />
      <source>The parcel layer holds no feature.</source>
      <translation>La couche des parcelles ne contient aucune entité.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="89" />
      <source>No feature of the parcel layer has a geometry.</source>
      <translation>Aucune entité de la couche des parcelles n'a de géométrie.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="91" />
      <source>No parcel has the crop {crop} in the field {field} (values: {values}).</source>
      <translation>Aucune parcelle n'a la culture {crop} dans le champ {field} (valeurs : {values}).</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="96" />
      <source>The declared yields (field {field}) have a median of {median:g}, outside the {low:g} to {high:g} t/ha of grain yields: they look like another unit (q/ha and kg/ha are 10 and 1000 times t/ha). Give them in t/ha.</source>
      <translation>Les rendements déclarés (champ {field}) ont une médiane de {median:g}, hors des {low:g} à {high:g} t/ha des rendements en grain : ils semblent exprimés dans une autre unité (les q/ha et les kg/ha valent 10 et 1000 fois les t/ha). Donnez-les en t/ha.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="122" />
      <source>Give the field that holds the crop {crop} (the parcel layer's fields: {fields}).</source>
      <translation>Indiquez le champ qui porte la culture {crop} (champs de la couche de parcelles : {fields}).</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="125" />
      <source>Give the crop to map: a value of the field {field}.</source>
      <translation>Fournissez la culture à cartographier : une valeur du champ {field}.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="151" />
      <source>The statistics table {path} needs a header and one row per unit (code, yield).</source>
      <translation>La table de statistiques {path} doit avoir un en-tête et une ligne par unité (code, yield).</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="166" />
      <source>The official yields of {path} have a median of {median:g}, outside the {low:g} to {high:g} t/ha of grain yields: they look like another unit (q/ha and kg/ha are 10 and 1000 times t/ha). Give them in t/ha.</source>
      <translation>Les rendements officiels de {path} ont une médiane de {median:g}, hors des {low:g} à {high:g} t/ha des rendements en grain : ils semblent exprimés dans une autre unité (les q/ha et les kg/ha valent 10 et 1000 fois les t/ha). Donnez-les en t/ha.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="284" />
      <source>Only {n} parcels of the crop have a declared yield and clear pixels in the area; the regression needs at least {need}.</source>
      <translation>Seulement {n} parcelles de la culture ont un rendement déclaré et des pixels sans nuage dans la zone ; la régression en nécessite au moins {need}.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="306" />
      <source>Only {n} declared yields are left after setting aside {aside} implausible ones; the regression needs at least {need}.</source>
      <translation>Il ne reste que {n} rendements déclarés après en avoir écarté {aside} invraisemblables ; la régression en nécessite au moins {need}.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="119" />
      <source>The field {field} does not exist in the parcel layer (fields: {fields}).</source>
      <translation>Le champ {field} n'existe pas dans la couche des parcelles (champs : {fields}).</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="134" />
      <source>The yield field {field} must hold numbers (t/ha); it holds {value!r}.</source>
      <translation>Le champ de rendement {field} doit contenir des nombres (t/ha) ; il contient {value!r}.</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="147" />
      <source>Cannot read the statistics table {path} ({error}).</source>
      <translation>Impossible de lire la table de statistiques {path} ({error}).</translation>
    </message>
    <message>
      <location filename="../core/crop_yield.py" line="162" />
      <source>The statistics table {path} has an unreadable row: {row}.</source>
      <translation>La table de statistiques {path} contient une ligne illisible : {row}.</translation>
    </message>
    <message>
      <location filename="../core/dem.py" line="42" />
      <source>The DEM {path} does not cover the area to process (DEM {dem}, area {area} in {crs}); give a DEM that covers the tile.</source>
      <translation>Le MNT {path} ne couvre pas la zone à traiter (MNT {dem}, zone {area} en {crs}) ; fournissez un MNT qui couvre la tuile.</translation>
    </message>
    <message>
      <location filename="../core/dem.py" line="76" />
      <source>The DEM {path} holds no valid elevation over the area to process.</source>
      <translation>Le MNT {path} ne contient aucune altitude valide sur la zone à traiter.</translation>
    </message>
    <message>
      <location filename="../core/dem.py" line="37" />
      <source>The DEM {path} has no usable coordinate system ({error}).</source>
      <translation>Le MNT {path} n'a pas de système de coordonnées utilisable ({error}).</translation>
    </message>
    <message>
      <location filename="../core/dem.py" line="56" />
      <source>The DEM {path} has no coordinate system.</source>
      <translation>Le MNT {path} n'a pas de système de coordonnées.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="176" />
      <source>The start date {start} is after the end date {end}.</source>
      <translation>La date de début {start} est postérieure à la date de fin {end}.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="179" />
      <source>The start date {start} is too early: detection dates are counted from {epoch}; start after it.</source>
      <translation>La date de début {start} est trop précoce : les dates de détection sont comptées depuis le {epoch} ; commencer après.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="209" />
      <source>The extent does not overlap tile T{tile} ({crs} bounds {tile_bounds}).</source>
      <translation>L'emprise ne recoupe pas la tuile T{tile} (limites {tile_bounds} en {crs}).</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="250" />
      <source>The forest sources given have no pixel in common over the processing area.</source>
      <translation>Les sources de forêt données n'ont aucun pixel en commun sur la zone traitée.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="384" />
      <source>The polarisations of orbit {orbit} were not acquired on the same dates: give VV and VH files of every acquisition.</source>
      <translation>Les polarisations de l'orbite {orbit} n'ont pas été acquises aux mêmes dates : donner les fichiers VV et VH de chaque acquisition.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="81" />
      <source>Say where the forest is: give a forest mask, a land-cover raster (with its forest classes) or forest polygons.</source>
      <translation>Indiquer où est la forêt : donner un masque de forêt, un raster d'occupation du sol (avec ses classes de forêt) ou des polygones de forêt.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="197" />
      <source>Orbit {orbit} has only {n} acquisitions; the method needs at least {need} ({before} before a change, {after} after it).</source>
      <translation>L'orbite {orbit} n'a que {n} acquisitions ; la méthode en demande au moins {need} ({before} avant un changement, {after} après).</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="229" />
      <source>The forest mask {path} holds no forest (non-zero) pixel over the processing area.</source>
      <translation>Le masque de forêt {path} n'a aucun pixel de forêt (non nul) sur la zone traitée.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="236" />
      <source>The land-cover raster {path} holds no pixel of the forest classes {classes} over the processing area (classes found: {found}).</source>
      <translation>Le raster d'occupation du sol {path} n'a aucun pixel des classes de forêt {classes} sur la zone traitée (classes trouvées : {found}).</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="245" />
      <source>None of the {n} forest polygons covers a pixel centre of the processing area: check their position and coordinate system.</source>
      <translation>Aucun des {n} polygones de forêt ne couvre un centre de pixel de la zone traitée : vérifier leur position et leur système de coordonnées.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="307" />
      <source>The Sentinel-1 files of orbit {orbit} ({pol}) hold no valid value over the forest of the processing area (all no data): check that they cover it, or leave that orbit out.</source>
      <translation>Les fichiers Sentinel-1 de l'orbite {orbit} ({pol}) n'ont aucune valeur valide sur la forêt de la zone traitée (tout est sans donnée) : vérifiez qu'ils la couvrent, ou retirez cette orbite.</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="313" />
      <source>The forest of orbit {orbit} ({pol}) reads {level} dB, above any forest: the files look like linear power. Untick 'Files are in dB' (DB).</source>
      <translation>La forêt de l'orbite {orbit} ({pol}) vaut {level} dB, plus qu'aucune forêt : les fichiers semblent en puissance linéaire. Décochez « Fichiers en dB » (DB).</translation>
    </message>
    <message>
      <location filename="../core/forest_cuts.py" line="317" />
      <source>The forest of orbit {orbit} ({pol}) reads {level} dB, above any forest: give calibrated backscatter (sigma0 or gamma0).</source>
      <translation>La forêt de l'orbite {orbit} ({pol}) vaut {level} dB, plus qu'aucune forêt : donnez une rétrodiffusion calibrée (sigma0 ou gamma0).</translation>
    </message>
    <message>
      <location filename="../core/forest_height.py" line="320" />
      <source>Sentinel-2 is cloudy or nodata on every date of the period at {n} of the {m} reference heights, leaving too few to train and validate: give Sentinel-2 products with clear views of them (another period or tile).</source>
      <translation>Sentinel-2 est nuageux ou sans donnée à toutes les dates de la période sur {n} des {m} hauteurs de référence, il en reste trop peu pour entraîner et valider : donnez des produits Sentinel-2 qui les voient sans nuage (une autre période ou une autre tuile).</translation>
    </message>
    <message>
      <location filename="../core/forest_height.py" line="323" />
      <source>Sentinel-1 holds no valid backscatter at {n} of the {m} reference heights (nodata there, or images of another place), leaving too few to train and validate: give S1Tiling files covering them, or no Sentinel-1 folder.</source>
      <translation>Sentinel-1 n'a aucune rétrodiffusion valide sur {n} des {m} hauteurs de référence (sans donnée à cet endroit, ou images d'un autre lieu), il en reste trop peu pour entraîner et valider : donnez des fichiers S1Tiling qui les couvrent, ou aucun dossier Sentinel-1.</translation>
    </message>
    <message>
      <location filename="../core/forest_height.py" line="326" />
      <source>The DEM has no value at {n} of the {m} reference heights, leaving too few to train and validate: give a DEM covering them, or none.</source>
      <translation>Le MNT n'a pas de valeur sur {n} des {m} hauteurs de référence, il en reste trop peu pour entraîner et valider : donnez un MNT qui les couvre, ou aucun.</translation>
    </message>
    <message>
      <location filename="../core/forest_height.py" line="236" />
      <source>The Sentinel-1 files of {folder} are of tile {s1_tile}, the Sentinel-2 products of tile {s2_tile}.</source>
      <translation>Les fichiers Sentinel-1 de {folder} sont de la tuile {s1_tile}, les produits Sentinel-2 de la tuile {s2_tile}.</translation>
    </message>
    <message>
      <location filename="../core/forest_height.py" line="259" />
      <source>None of the {n} reference heights over the area falls in the forest mask.</source>
      <translation>Aucune des {n} hauteurs de référence sur la zone ne tombe dans le masque de forêt.</translation>
    </message>
    <message>
      <location filename="../core/forest_height.py" line="352" />
      <source>Too few reference heights to train and validate: {n} footprints in {blocks} squares of {size:g} m inside the forest (at least {need} in two squares needed). Give more GEDI granules or a larger extent.</source>
      <translation>Trop peu de hauteurs de référence pour entraîner et valider : {n} empreintes dans {blocks} carrés de {size:g} m en forêt (il en faut au moins {need} dans deux carrés). Donnez plus de granules GEDI ou une emprise plus grande.</translation>
    </message>
    <message>
      <location filename="../core/gedi.py" line="97" />
      <source>No GEDI L2A granule was found at {path}: its .h5 files are other products (L1B, L2B...). Download the L2A granules (GEDI02_A).</source>
      <translation>Aucun granule GEDI L2A n'a été trouvé dans {path} : ses fichiers .h5 sont d'autres produits (L1B, L2B...). Téléchargez les granules L2A (GEDI02_A).</translation>
    </message>
    <message>
      <location filename="../core/gedi.py" line="92" />
      <source>No GEDI L2A granule (.h5 file) was found at {path}.</source>
      <translation>Aucun granule GEDI L2A (fichier .h5) n'a été trouvé à {path}.</translation>
    </message>
    <message>
      <location filename="../core/gedi.py" line="205" />
      <source>The GEDI data {path} ({n_files} L2A granules, {read} shots) hold no valid shot over the processing area: {kept} shots pass the quality filters but none lies over it. Give granules whose tracks cross it.</source>
      <translation>Les données GEDI {path} ({n_files} granules L2A, {read} tirs) ne contiennent aucun tir valide sur la zone de traitement : {kept} tirs passent les filtres de qualité mais aucun ne s'y trouve. Fournissez des granules dont les traces la traversent.</translation>
    </message>
    <message>
      <location filename="../core/gedi.py" line="210" />
      <source>The GEDI data {path} ({n_files} L2A granules, {read} shots) hold no valid shot: {quality} removed by quality_flag, {degrade} by degrade_flag, {sensitivity} below the sensitivity threshold, {height} outside 0-{max_height:g} m, {season} outside the leaf-on season (leaf_off_flag, or the month where a granule has no such flag).</source>
      <translation>Les données GEDI {path} ({n_files} granules L2A, {read} tirs) ne contiennent aucun tir valide : {quality} écartés par quality_flag, {degrade} par degrade_flag, {sensitivity} sous le seuil de sensibilité, {height} hors de 0-{max_height:g} m, {season} hors de la période feuillée (leaf_off_flag, ou le mois quand un granule n'a pas cet indicateur).</translation>
    </message>
    <message>
      <location filename="../core/gedi.py" line="255" />
      <source>None of the {n} reference points of {layer} with a height lies over the processing area.</source>
      <translation>Aucun des {n} points de référence de {layer} ayant une hauteur ne se trouve sur la zone de traitement.</translation>
    </message>
    <message>
      <location filename="../core/gedi.py" line="268" />
      <source>The reference heights of {layer} are not points (one x and one y per height): give a point layer.</source>
      <translation>Les hauteurs de référence de {layer} ne sont pas des points (un x et un y par hauteur) : donnez une couche de points.</translation>
    </message>
    <message>
      <location filename="../core/gedi.py" line="112" />
      <source>Cannot read the GEDI granule {path} ({error}).</source>
      <translation>Impossible de lire le granule GEDI {path} ({error}).</translation>
    </message>
    <message>
      <location filename="../core/gedi.py" line="185" />
      <source>The file {path} is not a GEDI L2A granule: it has no beam group with rh and lat_lowestmode.</source>
      <translation>Le fichier {path} n'est pas un granule GEDI L2A : il n'a aucun groupe de faisceau avec rh et lat_lowestmode.</translation>
    </message>
    <message>
      <location filename="../core/inputs.py" line="19" />
      <source>No Sentinel-2 L2A product was found in {folder} (expected folders or .zip files named like SENTINEL2A_20180826-104155-257_L2A_T31UFQ_C_V2-2 from THEIA or S2B_MSIL2A_20230712T103629_N0509_R008_T31UFQ_20230712T134418.SAFE from Sen2Cor, or STAC items saved as .json).</source>
      <translation>Aucun produit Sentinel-2 L2A n'a été trouvé dans {folder} (dossiers ou fichiers .zip attendus, nommés comme SENTINEL2A_20180826-104155-257_L2A_T31UFQ_C_V2-2 pour THEIA ou S2B_MSIL2A_20230712T103629_N0509_R008_T31UFQ_20230712T134418.SAFE pour Sen2Cor, ou items STAC enregistrés en .json).</translation>
    </message>
    <message>
      <location filename="../core/inputs.py" line="25" />
      <source>The folder {folder} holds products of several tiles ({tiles}); give a folder with one tile.</source>
      <translation>Le dossier {folder} contient des produits de plusieurs tuiles ({tiles}) ; fournissez un dossier ne contenant qu'une seule tuile.</translation>
    </message>
    <message>
      <location filename="../core/inputs.py" line="34" />
      <source>No Sentinel-2 acquisition between {start} and {end} in {folder} (products from {first} to {last}).</source>
      <translation>Aucune acquisition Sentinel-2 entre {start} et {end} dans {folder} (produits du {first} au {last}).</translation>
    </message>
    <message>
      <location filename="../core/inputs.py" line="68" />
      <source>The classes {classes} are not a list of land-cover codes (e.g. 16, 17).</source>
      <translation>Les classes {classes} ne sont pas une liste de codes d’occupation du sol (par ex. 16, 17).</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="189" />
      <source>The labelled parcels over the area are all rainfed: irrigated parcels are needed too to train.</source>
      <translation>Les parcelles étiquetées sur la zone sont toutes en sec : il faut aussi des parcelles irriguées pour entraîner.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="191" />
      <source>The labelled parcels over the area are all irrigated: rainfed parcels are needed too to train.</source>
      <translation>Les parcelles étiquetées sur la zone sont toutes irriguées : il faut aussi des parcelles en sec pour entraîner.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="195" />
      <source>Only rainfed labelled parcels have usable observations: {source} has none over the {n} irrigated ones from {start} to {end}; give images covering them with clear dates, or label more parcels.</source>
      <translation>Seules les parcelles étiquetées en sec ont des observations utilisables : {source} n'en a aucune sur les {n} parcelles irriguées du {start} au {end} ; donnez des images qui les couvrent avec des dates claires, ou étiquetez plus de parcelles.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="198" />
      <source>Only irrigated labelled parcels have usable observations: {source} has none over the {n} rainfed ones from {start} to {end}; give images covering them with clear dates, or label more parcels.</source>
      <translation>Seules les parcelles étiquetées irriguées ont des observations utilisables : {source} n'en a aucune sur les {n} parcelles en sec du {start} au {end} ; donnez des images qui les couvrent avec des dates claires, ou étiquetez plus de parcelles.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="201" />
      <source>Only rainfed labelled parcels have usable observations: none of the {n} irrigated ones has both a clear Sentinel-2 date and valid Sentinel-1 backscatter from {start} to {end}; give images covering them with clear dates, or label more parcels.</source>
      <translation>Seules les parcelles étiquetées en sec ont des observations utilisables : aucune des {n} parcelles irriguées n'a à la fois une date Sentinel-2 claire et une rétrodiffusion Sentinel-1 valide du {start} au {end} ; donnez des images qui les couvrent avec des dates claires, ou étiquetez plus de parcelles.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="205" />
      <source>Only irrigated labelled parcels have usable observations: none of the {n} rainfed ones has both a clear Sentinel-2 date and valid Sentinel-1 backscatter from {start} to {end}; give images covering them with clear dates, or label more parcels.</source>
      <translation>Seules les parcelles étiquetées irriguées ont des observations utilisables : aucune des {n} parcelles en sec n'a à la fois une date Sentinel-2 claire et une rétrodiffusion Sentinel-1 valide du {start} au {end} ; donnez des images qui les couvrent avec des dates claires, ou étiquetez plus de parcelles.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="212" />
      <source>The Sentinel-2 products of {s2} are cloudy or nodata over all {n} labelled parcels on every date from {start} to {end}: give products with clear views of the parcels (another period or tile).</source>
      <translation>Les produits Sentinel-2 de {s2} sont nuageux ou sans donnée sur les {n} parcelles étiquetées à toutes les dates du {start} au {end} : donnez des produits qui voient les parcelles sans nuage (une autre période ou une autre tuile).</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="215" />
      <source>The Sentinel-1 files of {s1} hold no valid backscatter over any of the {n} labelled parcels from {start} to {end} (nodata there, or images of another place): give S1Tiling files covering the parcels.</source>
      <translation>Les fichiers Sentinel-1 de {s1} n'ont aucune rétrodiffusion valide sur aucune des {n} parcelles étiquetées du {start} au {end} (sans donnée à cet endroit, ou images d'un autre lieu) : donnez des fichiers S1Tiling qui couvrent les parcelles.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="218" />
      <source>None of the {n} labelled parcels has both a clear Sentinel-2 date ({s2}) and valid Sentinel-1 backscatter ({s1}) from {start} to {end}: give images covering the parcels with clear dates.</source>
      <translation>Aucune des {n} parcelles étiquetées n'a à la fois une date Sentinel-2 sans nuage ({s2}) et une rétrodiffusion Sentinel-1 valide ({s1}) du {start} au {end} : donnez des images qui couvrent les parcelles, avec des dates sans nuage.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="256" />
      <source>The label {value!r} is neither irrigated (1, irrigated, yes) nor rainfed (0, rainfed, no).</source>
      <translation>L'étiquette {value!r} n'est ni irriguée (1, irrigated, yes) ni pluviale (0, rainfed, no).</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="122" />
      <source>{n} crops given for {m} parcels: give the crop of every parcel.</source>
      <translation>{n} cultures fournies pour {m} parcelles : indiquez la culture de chaque parcelle.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="178" />
      <source>None of the {n} labelled parcels lies over the processing area: extend the area or label parcels inside it.</source>
      <translation>Aucune des {n} parcelles étiquetées n'est dans la zone traitée : étendez la zone ou étiquetez des parcelles qui s'y trouvent.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="263" />
      <source>The method needs Sentinel-1: give the folder of S1Tiling VV and VH files of the tile.</source>
      <translation>La méthode nécessite Sentinel-1 : fournir le dossier des fichiers VV et VH S1Tiling de la tuile.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="278" />
      <source>The method needs the daily rain: give a precipitation table (CSV) or a folder of daily rain rasters.</source>
      <translation>La méthode a besoin de la pluie journalière : fournissez une table de précipitations (CSV) ou un dossier de rasters de pluie journaliers.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="299" />
      <source>The precipitation table {path} needs a date column and a rain column (mm, named rain, rain_mm or precipitation); its columns are: {columns}.</source>
      <translation>La table des précipitations {path} doit avoir une colonne de date et une colonne de précipitations (mm, nommée rain, rain_mm ou precipitation) ; ses colonnes sont : {columns}.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="314" />
      <source>The precipitation table {path} covers {first} to {last} and lacks {n} days of the period {start} to {end} (first missing: {day}): give the rain of every day of the period.</source>
      <translation>La table des précipitations {path} couvre du {first} au {last} et il lui manque {n} jours de la période du {start} au {end} (premier manquant : {day}) : fournir les précipitations de chaque jour de la période.</translation>
    </message>
    <message>
      <location filename="../core/irrigation.py" line="293" />
      <source>Cannot read the precipitation table {path} ({error}).</source>
      <translation>Impossible de lire la table des précipitations {path} ({error}).</translation>
    </message>
    <message>
      <location filename="../core/irrigation_models.py" line="136" />
      <source>Too few labelled parcels to validate: at least two irrigated and two rainfed parcels with clear pixels are needed.</source>
      <translation>Trop peu de parcelles étiquetées pour valider : au moins deux parcelles irriguées et deux parcelles en pluvial avec des pixels sans nuage sont nécessaires.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="370" />
      <source>No pixel of the area is seen clear on {need} dates between {start} and {end} (at most on {best}): give a longer period or lower the minimum number of clear dates.</source>
      <translation>Aucun pixel de la zone n'est vu clair sur {need} dates entre le {start} et le {end} (au plus sur {best}) : donnez une période plus longue ou abaissez le nombre minimal de dates claires.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="60" />
      <source>Give either reference polygons to train a model, or a trained model to apply, not both.</source>
      <translation>Fournissez soit des polygones de référence pour entraîner un modèle, soit un modèle entraîné à appliquer, mais pas les deux.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="125" />
      <source>This model holds one classifier per eco-climatic region (field {field}): give the regions layer it was trained with.</source>
      <translation>Ce modèle contient un classifieur par région éco-climatique (champ {field}) : fournissez la couche des régions avec laquelle il a été entraîné.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="202" />
      <source>The eco-climatic region {region} holds validation polygons but no training sample.</source>
      <translation>La région éco-climatique {region} contient des polygones de validation mais aucun échantillon d'entraînement.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="290" />
      <source>Class {code} has no training sample: its {n} reference polygons in the area cover no pixel centre seen clear often enough. Enlarge them, lower the minimum number of clear dates, or remove the class.</source>
      <translation>La classe {code} n'a aucun échantillon d'entraînement : ses {n} polygones de référence dans la zone ne couvrent aucun centre de pixel observé sans nuage assez souvent. Agrandissez-les, abaissez le nombre minimal de dates sans nuage ou supprimez la classe.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="295" />
      <source>Class {code} has too few training pixels ({n}); the forest needs {need} per class at least. Enlarge or add its reference polygons, lower the minimum number of clear dates, or remove the class.</source>
      <translation>La classe {code} a trop peu de pixels d'entraînement ({n}) ; la forêt aléatoire en demande au moins {need} par classe. Agrandissez ou ajoutez ses polygones de référence, abaissez le nombre minimal de dates claires, ou retirez la classe.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="301" />
      <source>The reference polygons in the area give samples of one class only ({codes}); a classification needs at least two.</source>
      <translation>Les polygones de référence de la zone ne fournissent des échantillons que d'une seule classe ({codes}) ; une classification en nécessite au moins deux.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="312" />
      <source>Only {n} of the {total} classes have validation pixels; validating the map needs two at least, and a class is held out only when it has two reference polygons or more in the area (the split is by polygon). Add reference polygons, or set the share of validation polygons to 0 to train without validation.</source>
      <translation>Seules {n} des {total} classes ont des pixels de validation ; valider la carte en demande au moins deux, et une classe n'est mise de côté pour la validation que si elle a au moins deux polygones de référence dans la zone (le partage se fait par polygone). Ajoutez des polygones de référence, ou mettez la part de polygones de validation à 0 pour entraîner sans validation.</translation>
    </message>
    <message>
      <location filename="../core/land_cover.py" line="368" />
      <source>No pixel of the area lies in one of the model's eco-climatic regions: give regions that cover the area.</source>
      <translation>Aucun pixel de la zone n'est dans l'une des régions éco-climatiques du modèle : donnez des régions qui couvrent la zone.</translation>
    </message>
    <message>
      <location filename="../core/masks.py" line="106" />
      <source>The mask {path} holds several non-zero values ({values}): it looks like a class map, not a 0/1 mask. Give it as the land-cover input with the classes wanted.</source>
      <translation>Le masque {path} contient plusieurs valeurs non nulles ({values}) : il ressemble à une carte de classes, pas à un masque 0/1. Donnez-le comme occupation du sol, avec les classes voulues.</translation>
    </message>
    <message>
      <location filename="../core/masks.py" line="127" />
      <source>The raster {path} does not overlap the area to process: check that it is the right file and that its coordinate system is set.</source>
      <translation>Le raster {path} ne recouvre pas la zone à traiter : vérifiez que c'est le bon fichier et que son système de coordonnées est renseigné.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="133" />
      <source>Line {line} of the meteorology table {path}: {value} is not a date (YYYY-MM-DD or DD/MM/YYYY).</source>
      <translation>Ligne {line} de la table météorologique {path} : {value} n'est pas une date (YYYY-MM-DD ou DD/MM/YYYY).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="99" />
      <source>The meteorology table {path} is empty.</source>
      <translation>La table météorologique {path} est vide.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="120" />
      <source>The meteorology table {path} needs the columns date, tmean (or tmin and tmax, degC) and radiation (global, MJ m-2 d-1); its columns are: {columns}.</source>
      <translation>La table météorologique {path} doit contenir les colonnes date, tmean (ou tmin et tmax, degC) et radiation (rayonnement global, MJ m-2 d-1) ; ses colonnes sont : {columns}.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="160" />
      <source>The meteorology {path} covers {first} to {last}, which does not cover the season {start} to {end}: give every day of the season.</source>
      <translation>La météorologie {path} couvre la période du {first} au {last}, qui ne couvre pas la saison du {start} au {end} : fournissez tous les jours de la saison.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="165" />
      <source>The meteorology {path} lacks {n} days of the season {start} to {end} (first missing: {day}).</source>
      <translation>Il manque {n} jours de la saison du {start} au {end} dans la météorologie {path} (premier jour manquant : {day}).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="178" />
      <source>The temperatures of {path} reach {value}: give them in degrees Celsius.</source>
      <translation>Les températures de {path} atteignent {value} : fournissez-les en degrés Celsius.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="181" />
      <source>The global radiation of {path} reaches {value}: give it in MJ m-2 d-1 (J/cm2 / 100, or mean W/m2 x 0.0864).</source>
      <translation>Le rayonnement global de {path} atteint {value} : fournissez-le en MJ m-2 d-1 (J/cm2 / 100, ou W/m2 moyens x 0.0864).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="236" />
      <source>The rain rasters in {folder} cover only part of the area: give rasters that cover the whole tile or extent.</source>
      <translation>Les rasters de pluie de {folder} ne couvrent qu'une partie de la zone : fournissez des rasters qui couvrent toute la tuile ou toute l'emprise.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="240" />
      <source>The rain rasters in {folder} hold values from {low} to {high}: give the daily rain in mm (0 to {limit}).</source>
      <translation>Les rasters de pluie de {folder} contiennent des valeurs de {low} à {high} : fournissez la pluie journalière en mm (0 à {limit}).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="255" />
      <source>The meteorology rasters in {folder} ({first} to {last}) lack {n} days of the season {start} to {end} (first missing: {day}).</source>
      <translation>Il manque {n} jours de la saison du {start} au {end} dans les rasters météorologiques de {folder}, qui vont du {first} au {last} (premier jour manquant : {day}).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="268" />
      <source>The meteorology rasters in {folder} have no cell with data on every day of the season over the area.</source>
      <translation>Les rasters météorologiques de {folder} n'ont aucune cellule avec des données pour chaque jour de la saison sur la zone.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="278" />
      <source>The meteorology folder {folder} does not exist.</source>
      <translation>Le dossier météorologique {folder} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="288" />
      <source>No daily meteorology raster in {folder} (expected GeoTIFFs named with their date, e.g. meteo_20190315.tif).</source>
      <translation>Aucun raster météorologique journalier dans {folder} (GeoTIFF attendus, nommés avec leur date, par ex. meteo_20190315.tif).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="302" />
      <source>The meteorology rasters in {folder} do not cover the area.</source>
      <translation>Les rasters météorologiques de {folder} ne couvrent pas la zone.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="85" />
      <source>The meteorology table {path} has the date {day} twice (line {line}).</source>
      <translation>La table météorologique {path} contient deux fois la date {day} (ligne {line}).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="95" />
      <source>Cannot read the meteorology table {path} ({error}).</source>
      <translation>Impossible de lire la table météorologique {path} ({error}).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="261" />
      <source>The meteorology raster {path} has {n} band(s); it needs band 1 mean temperature and band 2 global radiation.</source>
      <translation>Le raster météorologique {path} a {n} bande(s) ; il lui faut la bande 1 température moyenne et la bande 2 rayonnement global.</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="311" />
      <source>The meteorology raster {path} is not on the grid of the other days in {folder} (or lacks band 2).</source>
      <translation>Le raster météorologique {path} n'est pas sur la grille des autres jours de {folder} (ou n'a pas de bande 2).</translation>
    </message>
    <message>
      <location filename="../core/meteo.py" line="146" />
      <source>Line {line} of the meteorology table {path}: {value} is not a number.</source>
      <translation>Ligne {line} de la table météorologique {path} : {value} n'est pas un nombre.</translation>
    </message>
    <message>
      <location filename="../core/mowing.py" line="604" />
      <source>The field observations fall in a single area: cross-validation needs observations in at least two separate places.</source>
      <translation>Les observations de terrain se situent toutes dans une seule zone : la validation croisée nécessite des observations en au moins deux endroits distincts.</translation>
    </message>
    <message>
      <location filename="../core/mowing.py" line="558" />
      <source>The field {field} must hold dates (YYYY-MM-DD) or days of the year (1-366); it holds {value!r}.</source>
      <translation>Le champ {field} doit contenir des dates (YYYY-MM-DD) ou des jours de l'année (1-366) ; il contient {value!r}.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="71" />
      <source>Give either field observations to train on or a trained model to apply, not both.</source>
      <translation>Fournissez soit des observations de terrain pour l'entraînement, soit un modèle entraîné à appliquer, pas les deux.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="135" />
      <source>Only {n} Sentinel-2 acquisitions between {start} and {end}, fewer than the {need} clear dates the method needs: give a longer period or lower the minimum number of clear dates.</source>
      <translation>Seulement {n} acquisitions Sentinel-2 entre {start} et {end}, moins que les {need} dates sans nuage nécessaires à la méthode : fournissez une période plus longue ou abaissez le nombre minimal de dates sans nuage.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="271" />
      <source>The grassland sources given have no pixel in common over the processing area.</source>
      <translation>Les sources de prairies fournies n'ont aucun pixel en commun sur la zone à traiter.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="323" />
      <source>None of the {n} field observations is dated between {start} and {end}: give observations of the season the images cover.</source>
      <translation>Aucune des {n} observations de terrain n'est datée entre {start} et {end} : fournissez des observations de la saison couverte par les images.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="384" />
      <source>Only {n} field observations cover pixels seen clear on at least {need} dates (at most {best} clear dates were found); training needs {min} or more.</source>
      <translation>Seulement {n} observations de terrain couvrent des pixels observés sans nuage à au moins {need} dates (au plus {best} dates sans nuage ont été trouvées) ; l'entraînement en nécessite au moins {min}.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="54" />
      <source>Say where the grassland is: give a grassland mask, a land-cover raster (with its grassland classes) or a layer of grassland parcels.</source>
      <translation>Indiquez où se trouvent les prairies : fournissez un masque des prairies, un raster d'occupation du sol (avec ses classes de prairie) ou une couche de parcelles de prairie.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="259" />
      <source>The grassland mask {path} holds no grassland (non-zero) pixel over the processing area.</source>
      <translation>Le masque des prairies {path} ne contient aucun pixel de prairie (non nul) sur la zone à traiter.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="262" />
      <source>The land-cover raster {path} holds no pixel of the grassland classes {classes} over the processing area (classes found: {found}).</source>
      <translation>Le raster d'occupation du sol {path} ne contient aucun pixel des classes de prairie {classes} sur la zone à traiter (classes trouvées : {found}).</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="268" />
      <source>None of the {n} grassland parcels covers a pixel centre of the processing area: check their position and coordinate system.</source>
      <translation>Aucune des {n} parcelles de prairie ne couvre un centre de pixel de la zone à traiter : vérifiez leur position et leur système de coordonnées.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="587" />
      <source>No grassland pixel is seen clear on {need} dates between {start} and {end} (at most on {best}): give a longer period or lower the minimum number of clear dates.</source>
      <translation>Aucun pixel de prairie n'est observé sans nuage à {need} dates entre {start} et {end} (au plus à {best}) : fournissez une période plus longue ou abaissez le nombre minimal de dates sans nuage.</translation>
    </message>
    <message>
      <location filename="../core/mowing_date.py" line="256" />
      <source>The raster {path} does not cover the processing area.</source>
      <translation>Le raster {path} ne couvre pas la zone à traiter.</translation>
    </message>
    <message>
      <location filename="../core/parcels.py" line="30" />
      <source>Cannot read the parcel layer {path} ({error}).</source>
      <translation>Impossible de lire la couche des parcelles {path} ({error}).</translation>
    </message>
    <message>
      <location filename="../core/parcels.py" line="34" />
      <source>The parcel file {path} has no layer {layer}.</source>
      <translation>Le fichier de parcelles {path} n'a pas de couche {layer}.</translation>
    </message>
    <message>
      <location filename="../core/parcels.py" line="48" />
      <source>The parcel layer {path} has no coordinate reference system.</source>
      <translation>La couche des parcelles {path} n'a pas de système de coordonnées de référence.</translation>
    </message>
    <message>
      <location filename="../core/parcels.py" line="70" />
      <source>The parcel layer {path} holds no polygon: parcels are polygons.</source>
      <translation>La couche de parcelles {path} ne contient aucun polygone : les parcelles sont des polygones.</translation>
    </message>
    <message>
      <location filename="../core/parcels.py" line="73" />
      <source>None of the {n} parcels of {path} overlaps the area.</source>
      <translation>Aucune des {n} parcelles de {path} ne recoupe la zone.</translation>
    </message>
    <message>
      <location filename="../core/products.py" line="143" />
      <source>Unknown product {product}.</source>
      <translation>Produit inconnu : {product}.</translation>
    </message>
    <message>
      <location filename="../core/products.py" line="159" />
      <source>The data lake has no {what} for tile {tile}: {path} is missing.</source>
      <translation>Le lac de données n'a pas de {what} pour la tuile {tile} : {path} est absent.</translation>
    </message>
    <message>
      <location filename="../core/products.py" line="157" />
      <source>No Sentinel-2 data for tile {tile} in the data lake.</source>
      <translation>Aucune donnée Sentinel-2 pour la tuile {tile} dans le lac de données.</translation>
    </message>
    <message>
      <location filename="../core/sen2cor.py" line="115" />
      <source>Band {band} ({kind}) is missing from the Sentinel-2 product {product}; this product needs it.</source>
      <translation>La bande {band} ({kind}) est absente du produit Sentinel-2 {product} ; elle est nécessaire à ce produit.</translation>
    </message>
    <message>
      <location filename="../core/sen2cor.py" line="157" />
      <source>The Sentinel-2 product {product} stores reflectance x {value}; only x 10000 is read.</source>
      <translation>Le produit Sentinel-2 {product} stocke la réflectance x {value} ; seule la réflectance x 10000 est lue.</translation>
    </message>
    <message>
      <location filename="../core/sen2cor.py" line="192" />
      <source>The Sentinel-2 product {product} is not a valid zip file ({error}).</source>
      <translation>Le produit Sentinel-2 {product} n'est pas un fichier zip valide ({error}).</translation>
    </message>
    <message>
      <location filename="../core/sentinel1.py" line="73" />
      <source>No Sentinel-1 file was found in {folder} (expected S1Tiling files named like {example}).</source>
      <translation>Aucun fichier Sentinel-1 trouvé dans {folder} (fichiers S1Tiling attendus, nommés comme {example}).</translation>
    </message>
    <message>
      <location filename="../core/sentinel1.py" line="77" />
      <source>The folder {folder} holds Sentinel-1 files of several tiles ({tiles}); give a folder with one tile.</source>
      <translation>Le dossier {folder} contient des fichiers Sentinel-1 de plusieurs tuiles ({tiles}) ; donner un dossier d'une seule tuile.</translation>
    </message>
    <message>
      <location filename="../core/sentinel1.py" line="83" />
      <source>No Sentinel-1 file of tile {tile} between {start} and {end} in {folder} (files from {first} to {last}).</source>
      <translation>Aucun fichier Sentinel-1 de la tuile {tile} entre le {start} et le {end} dans {folder} (fichiers du {first} au {last}).</translation>
    </message>
    <message>
      <location filename="../core/sentinel1.py" line="99" />
      <source>Only ascending orbits in {folder}: the method needs descending orbits too (each direction sees a different border of a cut).</source>
      <translation>Seulement des orbites ascendantes dans {folder} : la méthode demande aussi des orbites descendantes (chaque direction voit une autre lisière de la coupe).</translation>
    </message>
    <message>
      <location filename="../core/sentinel1.py" line="103" />
      <source>Only descending orbits in {folder}: the method needs ascending orbits too (each direction sees a different border of a cut).</source>
      <translation>Seulement des orbites descendantes dans {folder} : la méthode demande aussi des orbites ascendantes (chaque direction voit une autre lisière de la coupe).</translation>
    </message>
    <message>
      <location filename="../core/sentinel1.py" line="93" />
      <source>Orbit {orbit} has no {missing} file between {start} and {end}: both {needed} polarisations are needed.</source>
      <translation>L'orbite {orbit} n'a aucun fichier {missing} entre le {start} et le {end} : les deux polarisations {needed} sont nécessaires.</translation>
    </message>
    <message>
      <location filename="../core/sentinel1.py" line="124" />
      <source>The Sentinel-1 file {path} holds mostly negative values: it looks like dB. Tick 'Files are in dB' (DB).</source>
      <translation>Le fichier Sentinel-1 {path} contient surtout des valeurs négatives : il semble en dB. Cochez « Fichiers en dB » (DB).</translation>
    </message>
    <message>
      <location filename="../core/series.py" line="210" />
      <source>The pixels of the reference polygons or parcels are seen clear on at most {n} of the {total} acquisitions, fewer than the {need} clear dates asked for: give a longer period or lower the minimum number of clear dates.</source>
      <translation>Les pixels des polygones de référence ou des parcelles sont vus sans nuage sur au plus {n} des {total} acquisitions, moins que les {need} dates sans nuage demandées : donnez une période plus longue ou abaissez le nombre minimal de dates sans nuage.</translation>
    </message>
    <message>
      <location filename="../core/snow_cover.py" line="137" />
      <source>Every acquisition between {start} and {end} is empty (no data over the area): nothing to map.</source>
      <translation>Toutes les acquisitions entre {start} et {end} sont vides (pas de données sur la zone) : rien à cartographier.</translation>
    </message>
    <message>
      <location filename="../core/snow_cover.py" line="279" />
      <source>Cannot read the raster {path}: it is missing or corrupt ({error}).</source>
      <translation>Impossible de lire le raster {path} : il est absent ou corrompu ({error}).</translation>
    </message>
    <message>
      <location filename="../core/theia.py" line="444" />
      <source>The Sentinel-2 product {product} holds no FRE band.</source>
      <translation>Le produit Sentinel-2 {product} ne contient aucune bande FRE.</translation>
    </message>
    <message>
      <location filename="../core/theia.py" line="134" />
      <source>The Sentinel-2 folder {folder} does not exist.</source>
      <translation>Le dossier Sentinel-2 {folder} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="120" />
      <source>{path} is not a readable GeoJSON feature collection ({error}).</source>
      <translation>{path} n'est pas une collection d'entités GeoJSON lisible ({error}).</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="64" />
      <source>The reference layer holds no feature.</source>
      <translation>La couche de référence ne contient aucune entité.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="66" />
      <source>The field {field} of the reference layer is empty.</source>
      <translation>Le champ {field} de la couche de référence est vide.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="90" />
      <source>Class codes must be whole numbers from 1 to 254 (0 means no data): the field {field} holds {value:g}.</source>
      <translation>Les codes de classe doivent être des nombres entiers de 1 à 254 (0 signifie pas de données) : le champ {field} contient {value:g}.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="280" />
      <source>None of the {n} {what} covers a pixel of the processing area ({crs} bounds {bounds}): check their position and coordinate system.</source>
      <translation>Aucune des {n} entités ({what}) ne couvre un pixel de la zone à traiter (limites {bounds} en {crs}) : vérifiez leur position et leur système de coordonnées.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="489" />
      <source>The file {path} is not a Chaînon model.</source>
      <translation>Le fichier {path} n'est pas un modèle Chaînon.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="491" />
      <source>The model {path} was trained for {trained}, not for {product}.</source>
      <translation>Le modèle {path} a été entraîné pour {trained}, et non pour {product}.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="502" />
      <source>The model was trained on a {trained:g} m grid; this grid is {res:g} m.</source>
      <translation>Le modèle a été entraîné sur une grille de {trained:g} m ; cette grille est de {res:g} m.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="508" />
      <source>The model was trained on {n_model} features ({first_model} to {last_model}); these data give {n_data} ({first_data} to {last_data}). Missing: {missing}; unknown to the model: {extra}. Give a period of the same length and step as the training period.</source>
      <translation>Le modèle a été entraîné sur {n_model} variables (de {first_model} à {last_model}) ; ces données en fournissent {n_data} (de {first_data} à {last_data}). Manquantes : {missing} ; inconnues du modèle : {extra}. Fournissez une période de même durée et de même pas que la période d'entraînement.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="51" />
      <source>The field {field} does not exist in the reference layer (fields: {fields}).</source>
      <translation>Le champ {field} n'existe pas dans la couche de référence (champs : {fields}).</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="74" />
      <source>The field {field} must hold numbers; it holds {value!r}.</source>
      <translation>Le champ {field} doit contenir des nombres ; il contient {value!r}.</translation>
    </message>
    <message>
      <location filename="../core/training.py" line="486" />
      <source>The file {path} is not a Chaînon model, or it is damaged ({error}).</source>
      <translation>Le fichier {path} n'est pas un modèle Chaînon, ou il est endommagé ({error}).</translation>
    </message>
    <message>
      <location filename="../core/yield_features.py" line="87" />
      <source>No pixel of the crop's parcels is in the crop mask {path} (crop classes: {classes}): give a mask that covers the parcels, with their land-cover classes, or leave the classes empty for a 0/1 mask.</source>
      <translation>Aucun pixel des parcelles de la culture n'est dans le masque de culture {path} (classes de culture : {classes}) : fournissez un masque qui couvre les parcelles, avec leurs classes d'occupation du sol, ou laissez les classes vides pour un masque 0/1.</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="21" />
      <source>Product</source>
      <translation>Produit</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="21" />
      <source>Status</source>
      <translation>Statut</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="21" />
      <source>Progress</source>
      <translation>Avancement</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="21" />
      <source>Submitted</source>
      <translation>Soumis</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="21" />
      <source>Message</source>
      <translation>Message</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="22" />
      <source>Queued</source>
      <translation>En attente</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="22" />
      <source>Running</source>
      <translation>En cours</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="22" />
      <source>Done</source>
      <translation>Terminé</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="23" />
      <source>Failed</source>
      <translation>Échoué</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="23" />
      <source>Cancelled</source>
      <translation>Annulé</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="71" />
      <source>1 job</source>
      <translation>1 traitement</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="25" />
      <source>Waiting for a worker</source>
      <translation>En attente d'un nœud de calcul</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="27" />
      <source>Cancelled by you</source>
      <translation>Annulé par vous</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="29" />
      <source>Writing the national mosaics</source>
      <translation>Écriture des mosaïques nationales</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="97" />
      <source>Chaînon jobs</source>
      <translation>Tâches Chaînon</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="142" />
      <source>Listing Chaînon jobs</source>
      <translation>Liste des tâches Chaînon</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="37" />
      <source>{done} of {total} tile done</source>
      <translation>{done} tuile sur {total} terminée</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="38" />
      <source>{done} of {total} tiles done</source>
      <translation>{done} tuiles sur {total} terminées</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="71" />
      <source>{n} jobs</source>
      <translation>{n} tâches</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="110" />
      <source>Refresh</source>
      <translation>Actualiser</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="110" />
      <source>Cancel job</source>
      <translation>Annuler la tâche</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="111" />
      <source>Load results</source>
      <translation>Charger les résultats</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="173" />
      <source>Cancelling a Chaînon job</source>
      <translation>Annulation d'une tâche Chaînon</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="180" />
      <source>Fetching job results</source>
      <translation>Récupération des résultats de la tâche</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="42" />
      <source>{n} failed: {why}</source>
      <translation>{n} en échec : {why}</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="42" />
      <source>1 failed: {why}</source>
      <translation>1 en échec : {why}</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="154" />
      <source>Job {job}</source>
      <translation>Traitement {job}</translation>
    </message>
    <message>
      <location filename="../ui/jobs_dock.py" line="193" />
      <source>Could not open {name}</source>
      <translation>Impossible d'ouvrir {name}</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="15" />
      <source>Chaînon compute centre</source>
      <translation>Centre de calcul Chaînon</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="18" />
      <source>your user name at the compute centre</source>
      <translation>votre nom d'utilisateur au centre de calcul</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="24" />
      <source>Service URL</source>
      <translation>URL du service</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="25" />
      <source>User</source>
      <translation>Utilisateur</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="26" />
      <source>Token</source>
      <translation>Jeton</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="29" />
      <source>Test connection</source>
      <translation>Tester la connexion</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="21" />
      <source>kept as it is</source>
      <translation>conservé tel quel</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="22" />
      <source>paste the token the compute centre gave you</source>
      <translation>collez le jeton que le centre de calcul vous a donné</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="50" />
      <source>The token will be kept in the QGIS authentication database, encrypted by its master password.</source>
      <translation>Le jeton sera conservé dans la base d'authentification de QGIS, chiffré par son mot de passe principal.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="67" />
      <source>Connected: 1 job.</source>
      <translation>Connecté : 1 traitement.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="63" />
      <source>The compute centre refused the token (401): check it.</source>
      <translation>Le centre de calcul a refusé le jeton (401) : vérifiez-le.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="48" />
      <source>The token is kept in the QGIS authentication database (configuration {id}: give it as AUTHCFG to qgis_process).</source>
      <translation>Le jeton est conservé dans la base d'authentification de QGIS (configuration {id} : donnez-la comme AUTHCFG à qgis_process).</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="68" />
      <source>Connected: {n} jobs.</source>
      <translation>Connecté : {n} traitements.</translation>
    </message>
    <message>
      <location filename="../ui/settings_dialog.py" line="78" />
      <source>QGIS could not store the token: set the master password of the authentication database first.</source>
      <translation>QGIS n'a pas pu conserver le jeton : définissez d'abord le mot de passe principal de la base d'authentification.</translation>
    </message>
    <message>
      <location filename="../ui/welcome.py" line="71" />
      <source>Welcome to Chaînon</source>
      <translation>Bienvenue dans Chaînon</translation>
    </message>
    <message>
      <location filename="../ui/welcome.py" line="35" />
      <source>Environmental maps of France from Copernicus Sentinel data, after the methods of the CESBIO laboratory. Each product is an algorithm of the Processing toolbox (group Chaînon): run it on your own Sentinel data on this computer, or over tiles or the whole of France at the compute centre ("… at the compute centre", set up in Plugins ▸ Chaînon ▸ Compute-centre settings).</source>
      <translation>Cartes environnementales de la France à partir des données Sentinel de Copernicus, selon les méthodes du laboratoire CESBIO. Chaque produit est un algorithme de la boîte à outils de traitements (groupe Chaînon) : lancez-le sur vos propres données Sentinel sur cet ordinateur, ou sur des tuiles ou toute la France au centre de calcul (« … au centre de calcul », à configurer dans Extensions ▸ Chaînon ▸ Paramètres du centre de calcul).</translation>
    </message>
    <message>
      <location filename="../ui/welcome.py" line="42" />
      <source>Try it on sample data</source>
      <translation>Essayez-le sur des données d'exemple</translation>
    </message>
    <message>
      <location filename="../ui/welcome.py" line="42" />
      <source>Run "{sample}" with the product's scenario: it writes a small synthetic scene with its ground truth and gives the folders and files to fill the product's dialog with.</source>
      <translation>Lancez « {sample} » avec le scénario du produit : il écrit une petite scène synthétique avec sa vérité terrain et donne les dossiers et fichiers à mettre dans la fenêtre du produit.</translation>
    </message>
    <message>
      <location filename="../ui/welcome.py" line="59" />
      <source>Needs:</source>
      <translation>Demande :</translation>
    </message>
    <message>
      <location filename="../ui/welcome.py" line="60" />
      <source>Sample data:</source>
      <translation>Données d'exemple :</translation>
    </message>
    <message>
      <location filename="../ui/welcome.py" line="63" />
      <source>Where real inputs come from: the help page (title link).</source>
      <translation>D'où viennent les vraies données : la page d'aide (lien du titre).</translation>
    </message>
    <message>
      <location filename="../ui/welcome.py" line="61" />
      <source>scenario "{scenario}".</source>
      <translation>scénario « {scenario} ».</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="37" />
      <source>Welcome</source>
      <translation>Bienvenue</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="38" />
      <source>Compute-centre settings…</source>
      <translation>Paramètres du centre de calcul…</translation>
    </message>
    <message>
      <location filename="../plugin.py" line="39" />
      <source>Compute-centre jobs</source>
      <translation>Tâches du centre de calcul</translation>
    </message>
  </context>
</TS>
