#!/usr/bin/env python3
"""Writes gold/places/voa.tsv from the draft of scripts/voa_places_candidates.py and the hand
decisions below (which spans are places, and which GeoNames entry each is), so that the gold
can be re-made and reviewed. Usage: python3 scripts/voa_places_gold.py DRAFT.tsv
"""
import os, sys
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
import json, re
st={json.loads(l)['id']:json.loads(l) for l in open(os.path.join(ROOT,'..','shared','corpora','voa','voa_stories.jsonl'))}
drop_text=set('Zamora Rubio But One She BLA Union EU Liberation Albert David NISA Garcia Marco Justice Center Central Since As Street North We Volodymyr University Russell NATO More Mission Maria March Lai Khan Human Homeland Hollywood Yermak Vladimir Vice Star Scott Richard Republic Rapid Raja Plan Pinto Of Omar Nine NGO Mohan Michel Media Margaret Lone Linda Jones Johnson Joao Hope Hassan Haram Elizabeth Delgado Daphne Change Casey Cars Cabo Bryant Born Beverly Bay August Anto Alliance Ali Abu Abdi Arevalo Champagne Nawa Dayton Thai Aragua Pacific Anbar'.split()) | {'White House'}
drop_at={('8008079',2647),('8010842',3879),('8010842',4074),('8010046',2099),('8006924',1291),('8008697',5727),('8008697',5747),('8008697',5845),('8008697',6036),('8008619',1258),('8008697',3692),('8011218',3804),('8009027',1656)}
ids={'Afghanistan':1149361,'Africa':6255146,'Alabama':4829764,'Algeria':2589581,'America':6252001,'Asia':6255147,'Australia':2077456,'Bangkok':1609350,'Bangladesh':1210997,'Banja Luka':3204541,'Beijing':1816670,'Beledweyne':64460,'Belgium':2802361,'Bosnia':3277605,'Botswana':933860,'Britain':2635167,'Brussels':2800866,'Burkina Faso':2361809,'California':5332921,'Canada':6251999,'Ceuta':6362987,'China':1814991,'Cuba':3562981,'Delhi':1273294,'Detroit':4990729,'Ethiopia':337996,'France':3017382,'Gambia':2413451,'Georgia':4197000,'Germany':2921044,'Greece':390903,'Guantanamo':13527055,'Guantanamo Bay':13527055,'Guatemala':3595528,'Guatemala City':3598132,'Guinea':2420477,'Guinea-Bissau':2372248,'Honduras':3608932,'Hong Kong':1819730,'Houston':4699066,'Hungary':719819,'Imphal':1269771,'India':1269750,'Iran':130758,'Iraq':99237,'Irbil':95446,'Islamabad':1176615,'Italy':3175395,'Japan':1861060,'Jeddah':105343,'Kabul':1138958,'Kalat':1175296,'Kansas':4273857,'Kentucky':6254925,'Khartoum':379252,'Kyiv':703448,'Latakia':173576,'Louisiana':4331987,'Malawi':927384,'Maldives':1282028,'Mali':2453866,'Malta':2562770,'Mauritius':934292,'Mexico':3996063,'Michigan':5001836,'Minnesota':5037779,'Mogadishu':53654,'Morocco':2542007,'Mozambique':1036973,'Mulanje':925789,'Mwanza':925596,'Myanmar':1327865,'Nampula':1033356,'Nebraska':5073708,'New Delhi':1261481,'New Orleans':4335045,'New York City':5128581,'Niger':2440476,'Nigeria':2328926,'North Korea':1873107,'Nsanje':924572,'Omdurman':365137,'Ottawa':6094817,'Pakistan':1168579,'Panama':3703430,'Paris':2988507,'Peshawar':1168197,'Phalombe':924206,'Philippines':1694008,'Port Louis':934154,'Quetta':1167528,'Riyadh':108410,'Russia':2017370,'Russian Federation':2017370,'San Francisco':5391959,'Sarajevo':3191281,'Saudi Arabia':102358,'Senegal':2245662,'Serbia':6290252,'Seville':2510911,'Sibi':1164896,'Somalia':51537,'South Korea':1835841,'Sudan':366755,'Syria':163843,'Taiwan':1668284,'Tehran':112931,'Tennessee':4662168,'Texas':4736286,'Thailand':1605651,'Toronto':6167865,'Turkey':298795,'U.S.':6252001,'UK':2635167,'USA':6252001,'Ukraine':690791,'United States':6252001,'Venezuela':3625428,'Vienna':2761369,'Washington':4140963,'Europe':6255148}
unknown={'Ontario':'CAN','Quebec':'CAN'}
at_override={('8006651',3450):('-','PAK'),('8006924',1689):(5128638,'USA')}
extras=[('8011115','Middle East',1153,''),('8011115','Middle East',2280,''),('8010842','Charlevoix',2895,'CAN'),('8010842','Indo-Pacific',4591,''),('8005899','Red Sea',1029,''),('8011218','Kansala',561,'GNB'),('8011218','West Africa',3799,''),('8009027','Sahel',459,''),('8008619','Gulf of Guinea',1250,''),('8008152','Hirshabelle',1191,'SOM'),('8008152','Hirshabelle',1842,'SOM'),('8008152','Middle Shabelle',1932,'SOM'),('8010418','Republika Srpska',2330,'BIH'),('8010418','Republika Srpska',1699,'BIH'),('8009976','Balochistan',370,'PAK'),('8006651','Balochistan',232,'PAK'),('8006651','Khyber Pakhtunkhwa',284,'PAK'),('8006651','Balochistan',3436,'PAK'),('8010046','Latin America',2093,''),('8008079','Indian Ocean',150,''),('8008079','Indian Ocean',3202,''),('8008079','Agalega',2801,'MUS'),('8009027','North Africa',1651,'')]
import gzip
cc={}
with gzip.open(os.path.join(ROOT,'crates','dyad-geo','data','gazetteer.tsv.gz'),'rt') as f:
    next(f)
    for l in f:
        c=l.split('\t'); cc[int(c[0])]=c[8]
cc[13527055]='CUB'
rows=[]
for l in open(sys.argv[1]):
    sid,s,e,t,d=l.rstrip('\n').split('\t'); s=int(s); e=int(e)
    if t in drop_text or (sid,s) in drop_at or not t.strip(): continue
    if (sid,s) in at_override:
        g,c=at_override[(sid,s)]
    elif t in unknown:
        g,c='-',unknown[t]
    elif t in ids:
        g=ids[t]; c=cc[g]
    else:
        raise SystemExit(f'undecided {t}')
    rows.append((sid,s,e,t,str(g),c))
# Anbar
tx=st['8011115']['text']; k=tx.find('Anbar')
while k>=0:
    rows.append(('8011115',k,k+5,'Anbar','-','IRQ')); k=tx.find('Anbar',k+1)
for sid,t,s,c in extras:
    tx=st[sid]['text']
    if tx[s:s+len(t)]!=t:
        k=tx.find(t, max(0,s-15))
        assert k>=0 and abs(k-s)<20,(sid,t,s,tx[s-10:s+20])
        s=k
    rows.append((sid,s,s+len(t),t,'-',c))
regions={'Balochistan':'PAK','Puntland':'SOM','Xinjiang':'CHN','Darfur':'SDN','Crimea':'UKR','Donbas':'UKR','Gaza':'PSE','Sahel':'','Hirshabelle':'SOM','Republika Srpska':'BIH','Cabo Delgado':'MOZ','Khyber Pakhtunkhwa':'PAK','Middle East':'','Indian Ocean':'','West Africa':'','Latin America':'','Red Sea':'','Middle Shabelle':'SOM','Kordofan':'SDN','El Fasher':'SDN','Zambezia':'MOZ','Chagos Islands':'','Diego Garcia':''}
have={(r[0],r[1]) for r in rows}
story_ids=sorted({r[0] for r in rows})
for sid in story_ids:
    tx=st[sid]['text']
    for name,c in regions.items():
        for m in re.finditer(r'\b'+re.escape(name)+r'\b', tx):
            if not any(r[0]==sid and r[1] < m.end() and m.start() < r[2] for r in rows):
                rows.append((sid,m.start(),m.end(),name,'-',c))
rows.sort(key=lambda r:(r[0],r[1]))
for r in rows:
    assert st[r[0]]['text'][r[1]:r[2]]==r[3], r
with open(os.path.join(ROOT,'gold','places','voa.tsv'),'w') as f:
    f.write("# Place mentions of 25 VOA stories (shared/corpora/voa, public domain) resolved by hand to GeoNames ids\n# of dyad's gazetteer (crates/dyad-geo/data); '-' = a place the gazetteer lacks; country = ISO alpha-3,\n# empty for a region of no one country. See README.md beside this file.\n")
    f.write("story\tstart\tend\ttext\tgeonameid\tcountry\n")
    for r in rows: f.write('\t'.join(map(str,r))+'\n')
print(len(rows), sum(r[4]=='-' for r in rows))
