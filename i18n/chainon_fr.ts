<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
  <context>
    <name>chainon</name>
    <message>
      <location filename="../algorithms/base.py" line="78" />
      <source>Folder holding THEIA/MAJA Sentinel-2 L2A products of one tile, as downloaded: product folders or .zip files, searched in sub-folders too.</source>
      <translation>Dossier contenant les produits Sentinel-2 L2A THEIA/MAJA d'une tuile, tels que téléchargés : dossiers de produits ou fichiers .zip, recherchés aussi dans les sous-dossiers.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="83" />
      <source>Area to process, in any coordinate system; the whole tile when empty.</source>
      <translation>Zone à traiter, dans n'importe quel système de coordonnées ; toute la tuile si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="86" />
      <source>First day of the period (inclusive); the first acquisition when empty.</source>
      <translation>Premier jour de la période (inclus) ; la première acquisition si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="90" />
      <source>Last day of the period (inclusive); the last acquisition when empty.</source>
      <translation>Dernier jour de la période (inclus) ; la dernière acquisition si vide.</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="76" />
      <source>Sentinel-2 L2A folder (THEIA)</source>
      <translation>Dossier Sentinel-2 L2A (THEIA)</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="82" />
      <source>Extent</source>
      <translation>Emprise</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="85" />
      <source>Start date</source>
      <translation>Date de début</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="89" />
      <source>End date</source>
      <translation>Date de fin</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="59" />
      <source>Parameters and outputs</source>
      <translation>Paramètres et sorties</translation>
    </message>
    <message>
      <location filename="../algorithms/base.py" line="117" />
      <source>Cancelled: the partial results were removed.</source>
      <translation>Annulé : les résultats partiels ont été supprimés.</translation>
    </message>
    <message>
      <location filename="../algorithms/provider.py" line="24" />
      <source>Chaînon — environmental maps from Copernicus data</source>
      <translation>Chaînon — cartes environnementales à partir des données Copernicus</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="23" />
      <source>Sample data (synthetic scene)</source>
      <translation>Données d'exemple (scène synthétique)</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="29" />
      <source>Writes a SYNTHETIC Sentinel-2 time series in the THEIA L2A format, with a DEM and the ground truth, to try Chaînon's products without downloading data. The data are simulated, not observations.</source>
      <translation>Écrit une série temporelle Sentinel-2 SYNTHÉTIQUE au format THEIA L2A, avec un MNT et la vérité terrain, pour essayer les produits de Chaînon sans télécharger de données. Les données sont simulées, ce ne sont pas des observations.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="40" />
      <source>Which product the scene is made for.</source>
      <translation>Produit pour lequel la scène est conçue.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="44" />
      <source>Width and height of the scene; 5490 is a full Sentinel-2 tile.</source>
      <translation>Largeur et hauteur de la scène ; 5490 correspond à une tuile Sentinel-2 complète.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="48" />
      <source>The same seed always writes the same scene.</source>
      <translation>Une même graine produit toujours la même scène.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="50" />
      <source>Where the scene is written.</source>
      <translation>Dossier où la scène est écrite.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="52" />
      <source>The folder of simulated THEIA L2A products, for the S2_FOLDER input of a product.</source>
      <translation>Le dossier des produits THEIA L2A simulés, pour l'entrée S2_FOLDER d'un produit.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="55" />
      <source>The simulated elevation model (m).</source>
      <translation>Le modèle numérique de terrain (MNT) simulé (m).</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="57" />
      <source>The ground truth the products are measured against.</source>
      <translation>La vérité terrain à laquelle les produits sont comparés.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="38" />
      <source>Scenario</source>
      <translation>Scénario</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="42" />
      <source>Size (pixels at 20 m)</source>
      <translation>Taille (pixels à 20 m)</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="46" />
      <source>Random seed</source>
      <translation>Graine aléatoire</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="49" />
      <source>Output folder</source>
      <translation>Dossier de sortie</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="51" />
      <source>Sentinel-2 folder</source>
      <translation>Dossier Sentinel-2</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="54" />
      <source>DEM</source>
      <translation>MNT</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="56" />
      <source>Ground truth folder</source>
      <translation>Dossier de la vérité terrain</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="64" />
      <source>Synthetic scene: {n} acquisitions written to {folder}.</source>
      <translation>Scène synthétique : {n} acquisitions écrites dans {folder}.</translation>
    </message>
    <message>
      <location filename="../algorithms/sample_data.py" line="39" />
      <source>Snow: mountain tile, one hydrological year</source>
      <translation>Neige : tuile de montagne, une année hydrologique</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="18" />
      <source>NDSI threshold, pass 1</source>
      <translation>Seuil de NDSI, passe 1</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="19" />
      <source>Snow in pass 1 needs NDSI above this.</source>
      <translation>En passe 1, la neige exige un NDSI supérieur à ce seuil.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="20" />
      <source>Red threshold, pass 1</source>
      <translation>Seuil de réflectance rouge, passe 1</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="21" />
      <source>Snow in pass 1 needs red reflectance above this (0-1).</source>
      <translation>En passe 1, la neige exige une réflectance rouge supérieure à ce seuil (0-1).</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="22" />
      <source>NDSI threshold, pass 2</source>
      <translation>Seuil de NDSI, passe 2</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="23" />
      <source>Snow above the snowline needs NDSI above this.</source>
      <translation>Au-dessus de la limite de neige, la neige exige un NDSI supérieur à ce seuil.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="24" />
      <source>Red threshold, pass 2</source>
      <translation>Seuil de réflectance rouge, passe 2</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="25" />
      <source>Snow above the snowline needs red reflectance above this (0-1).</source>
      <translation>Au-dessus de la limite de neige, la neige exige une réflectance rouge supérieure à ce seuil (0-1).</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="26" />
      <source>Elevation band height (m)</source>
      <translation>Hauteur des tranches d'altitude (m)</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="27" />
      <source>Height of the DEM bands used to find the snowline.</source>
      <translation>Hauteur des tranches d'altitude du MNT utilisées pour déterminer la limite de neige.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="38" />
      <source>Any elevation raster (m) covering the tile; it is reprojected and resampled (bilinear) onto the 20 m grid of the products.</source>
      <translation>Tout raster d'altitude (m) couvrant la tuile ; il est reprojeté et rééchantillonné (bilinéaire) sur la grille à 20 m des produits.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="43" />
      <source>Writes FSC_&lt;tile&gt;_&lt;date&gt;.tif beside each snow map: percentage of the pixel covered by snow from the NDSI (Gascoin et al. 2020).</source>
      <translation>Écrit FSC_&lt;tile&gt;_&lt;date&gt;.tif à côté de chaque carte de neige : pourcentage du pixel couvert de neige, déduit du NDSI (Gascoin et al. 2020).</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="53" />
      <source>One snow map per acquisition, SNOW_&lt;tile&gt;_&lt;YYYYMMDD&gt;.tif (0 no snow, 100 snow, 205 cloud, 255 no data); acquisitions without data over the area are skipped.</source>
      <translation>Une carte de neige par acquisition, SNOW_&lt;tile&gt;_&lt;YYYYMMDD&gt;.tif (0 pas de neige, 100 neige, 205 nuage, 255 pas de données) ; les acquisitions sans données sur la zone sont ignorées.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="37" />
      <source>Digital elevation model</source>
      <translation>Modèle numérique de terrain (MNT)</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="41" />
      <source>Also map fractional snow cover</source>
      <translation>Cartographier aussi la fraction de couverture neigeuse</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="52" />
      <source>Folder of snow maps</source>
      <translation>Dossier des cartes de neige</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="72" />
      <source>{n} snow maps written, {k} empty acquisitions skipped.</source>
      <translation>{n} cartes de neige écrites, {k} acquisitions vides ignorées.</translation>
    </message>
    <message>
      <location filename="../algorithms/snow_cover.py" line="97" />
      <source>Snow {date}</source>
      <translation>Neige {date}</translation>
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
      <location filename="../core/catalog.py" line="50" />
      <source>Land cover</source>
      <translation>Occupation du sol</translation>
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
      <location filename="../core/dem.py" line="21" />
      <source>The DEM {path} does not cover the area to process (DEM {dem}, area {area} in {crs}); give a DEM that covers the tile.</source>
      <translation>Le MNT {path} ne couvre pas la zone à traiter (MNT {dem}, zone {area} en {crs}) ; fournissez un MNT qui couvre la tuile.</translation>
    </message>
    <message>
      <location filename="../core/dem.py" line="50" />
      <source>The DEM {path} holds no valid elevation over the area to process.</source>
      <translation>Le MNT {path} ne contient aucune altitude valide sur la zone à traiter.</translation>
    </message>
    <message>
      <location filename="../core/dem.py" line="16" />
      <source>The DEM {path} has no usable coordinate system ({error}).</source>
      <translation>Le MNT {path} n'a pas de système de coordonnées utilisable ({error}).</translation>
    </message>
    <message>
      <location filename="../core/dem.py" line="33" />
      <source>The DEM {path} has no coordinate system.</source>
      <translation>Le MNT {path} n'a pas de système de coordonnées.</translation>
    </message>
    <message>
      <location filename="../core/products.py" line="41" />
      <source>Product {product} cannot run at the compute centre yet.</source>
      <translation>Le produit {product} ne peut pas encore être calculé au centre de calcul.</translation>
    </message>
    <message>
      <location filename="../core/products.py" line="31" />
      <source>Unknown product {product}.</source>
      <translation>Produit inconnu : {product}.</translation>
    </message>
    <message>
      <location filename="../core/products.py" line="34" />
      <source>No Sentinel-2 data for tile {tile} in the data lake.</source>
      <translation>Aucune donnée Sentinel-2 pour la tuile {tile} dans le lac de données.</translation>
    </message>
    <message>
      <location filename="../core/snow_cover.py" line="55" />
      <source>No THEIA Sentinel-2 L2A product was found in {folder} (expected folders or .zip files named like SENTINEL2A_20180826-104155-257_L2A_T31UFQ_C_V2-2).</source>
      <translation>Aucun produit Sentinel-2 L2A THEIA n'a été trouvé dans {folder} (dossiers ou fichiers .zip attendus, nommés comme SENTINEL2A_20180826-104155-257_L2A_T31UFQ_C_V2-2).</translation>
    </message>
    <message>
      <location filename="../core/snow_cover.py" line="60" />
      <source>The folder {folder} holds products of several tiles ({tiles}); give a folder with one tile.</source>
      <translation>Le dossier {folder} contient des produits de plusieurs tuiles ({tiles}) ; fournissez un dossier ne contenant qu'une seule tuile.</translation>
    </message>
    <message>
      <location filename="../core/snow_cover.py" line="65" />
      <source>The start date {start} is after the end date {end}.</source>
      <translation>La date de début {start} est postérieure à la date de fin {end}.</translation>
    </message>
    <message>
      <location filename="../core/snow_cover.py" line="69" />
      <source>No Sentinel-2 acquisition between {start} and {end} in {folder} (products from {first} to {last}).</source>
      <translation>Aucune acquisition Sentinel-2 entre {start} et {end} dans {folder} (produits du {first} au {last}).</translation>
    </message>
    <message>
      <location filename="../core/snow_cover.py" line="87" />
      <source>The extent does not overlap tile T{tile} ({crs} bounds {tile_bounds}).</source>
      <translation>L'emprise ne recoupe pas la tuile T{tile} (limites {tile_bounds} en {crs}).</translation>
    </message>
    <message>
      <location filename="../core/snow_cover.py" line="125" />
      <source>Every acquisition between {start} and {end} is empty (no data over the area): nothing to map.</source>
      <translation>Toutes les acquisitions entre {start} et {end} sont vides (pas de données sur la zone) : rien à cartographier.</translation>
    </message>
    <message>
      <location filename="../core/theia.py" line="257" />
      <source>The Sentinel-2 product {product} holds no FRE band.</source>
      <translation>Le produit Sentinel-2 {product} ne contient aucune bande FRE.</translation>
    </message>
    <message>
      <location filename="../core/theia.py" line="104" />
      <source>The Sentinel-2 folder {folder} does not exist.</source>
      <translation>Le dossier Sentinel-2 {folder} n'existe pas.</translation>
    </message>
    <message>
      <location filename="../core/theia.py" line="79" />
      <source>Band {band} ({kind}) is missing from the Sentinel-2 product {product}; this product needs it.</source>
      <translation>La bande {band} ({kind}) est absente du produit Sentinel-2 {product} ; elle est nécessaire à ce produit.</translation>
    </message>
    <message>
      <location filename="../core/theia.py" line="139" />
      <source>Cannot read the raster {path}: it is missing or corrupt ({error}).</source>
      <translation>Impossible de lire le raster {path} : il est absent ou corrompu ({error}).</translation>
    </message>
    <message>
      <location filename="../core/theia.py" line="128" />
      <source>The Sentinel-2 product {product} is not a valid zip file ({error}).</source>
      <translation>Le produit Sentinel-2 {product} n'est pas un fichier zip valide ({error}).</translation>
    </message>
  </context>
</TS>
