# ruff: noqa: E501 - sentences of prose, one to a line, read more easily whole
"""The demo's Welsh (Cymraeg), written for this demo with the words in docs/glossary-cy.md and
keyed by the English it translates. seed_demo gives every part of the published edition its Welsh."""

CY = {
    # The Compact and its edition
    "Example Borough Compact": "Compact Bwrdeistref Enghraifft",
    "Refreshed Compact 2026": "Compact wedi'i Adnewyddu 2026",
    # Principles
    "Respect": "Parch",
    "Each sector values what the other brings, and says so.": "Mae pob sector yn gwerthfawrogi'r hyn y mae'r llall yn ei gyfrannu, ac yn dweud hynny.",
    "Honesty": "Gonestrwydd",
    "Partners share what they know, early, including bad news.": "Mae partneriaid yn rhannu'r hyn a wyddant, yn gynnar, gan gynnwys newyddion drwg.",
    "Independence": "Annibyniaeth",
    "Groups keep their own voice, whoever funds them.": "Mae grwpiau'n cadw eu llais eu hunain, pwy bynnag sy'n eu hariannu.",
    "Fairness": "Tegwch",
    "Decisions are open, reasoned and equal for every group.": "Mae penderfyniadau'n agored, yn rhesymegol ac yn gyfartal i bob grŵp.",
    "Volunteering": "Gwirfoddoli",
    "The time people give freely is recognised and supported.": "Mae'r amser y mae pobl yn ei roi o'u gwirfodd yn cael ei gydnabod a'i gefnogi.",
    # Outcome 1
    "A thriving, independent voluntary and community sector": "Sector gwirfoddol a chymunedol ffyniannus ac annibynnol",
    "Defend the right of local groups to speak up and campaign, including about the council, "
    "whatever funding they receive from it.": "Amddiffyn hawl grwpiau lleol i godi llais ac ymgyrchu, gan gynnwys am y cyngor, "
    "pa gyllid bynnag a gânt ganddo.",
    "Pay for local infrastructure support so that small groups can get advice on governance, "
    "funding and volunteers.": "Talu am gymorth seilwaith lleol er mwyn i grwpiau bach gael cyngor ar lywodraethu, "
    "cyllid a gwirfoddolwyr.",
    "Open up council buildings and equipment to community groups at fair rates.": "Agor adeiladau ac offer y cyngor i grwpiau cymunedol am brisiau teg.",
    "Base campaigns on sound evidence and say whose views they carry.": "Seilio ymgyrchoedd ar dystiolaeth gadarn a dweud barn pwy y maent yn ei chyfleu.",
    "Keep their independence in every partnership, and say so when they disagree.": "Cadw eu hannibyniaeth ym mhob partneriaeth, a dweud hynny pan fyddant yn anghytuno.",
    "Meet once a year, council and groups together, to check how the Compact is kept and agree what to fix.": "Cyfarfod unwaith y flwyddyn, y cyngor a'r grwpiau gyda'i gilydd, i weld sut y cedwir y Compact "
    "a chytuno beth sydd angen ei unioni.",
    # Outcome 2
    "Open, shared design of policies and services": "Cynllunio polisïau a gwasanaethau yn agored ac ar y cyd",
    "Involve community groups from the first ideas for a policy or service, not only once a plan is drafted.": "Cynnwys grwpiau cymunedol o'r syniadau cyntaf am bolisi neu wasanaeth, nid dim ond ar ôl i gynllun "
    "gael ei ddrafftio.",
    "Tell groups early about consultations that are coming, and run formal written consultations for at "
    "least twelve weeks, explaining in writing whenever a consultation is shorter or informal.": "Rhoi gwybod i grwpiau yn gynnar am ymgynghoriadau sydd ar y ffordd, a chynnal ymgynghoriadau "
    "ysgrifenedig ffurfiol am o leiaf ddeuddeg wythnos, gan egluro'n ysgrifenedig pryd bynnag y bydd "
    "ymgynghoriad yn fyrrach neu'n anffurfiol.",
    "Publish, within twelve weeks of a consultation closing, what was heard and what changed because of it.": "Cyhoeddi, cyn pen deuddeg wythnos ar ôl i ymgynghoriad gau, yr hyn a glywyd a'r hyn a newidiodd "
    "o'i herwydd.",
    "Count the cost to small groups of new rules and forms, and keep that cost down.": "Ystyried beth yw'r gost i grwpiau bach o reolau a ffurflenni newydd, a chadw'r gost honno'n isel.",
    "Answer consultations that affect the people they serve, and help those people answer too.": "Ymateb i ymgynghoriadau sy'n effeithio ar y bobl y maent yn eu gwasanaethu, a helpu'r bobl hynny "
    "i ymateb hefyd.",
    "Be clear about who they speak for and how they gathered those views.": "Bod yn glir ynghylch dros bwy y maent yn siarad a sut y casglwyd y safbwyntiau hynny.",
    "Bring practical proposals, backed by what they see on the ground.": "Cyflwyno cynigion ymarferol, wedi'u seilio ar yr hyn a welant ar lawr gwlad.",
    "Share what they learn from residents with each other, leaving out anything that would identify a person.": "Rhannu â'i gilydd yr hyn a ddysgant gan drigolion, heb gynnwys dim a fyddai'n datgelu pwy yw "
    "rhywun.",
    # Outcome 3
    "Fair and well-run funding and commissioning": "Cyllido a chomisiynu teg sy'n cael eu rheoli'n dda",
    "Explain the reasons for every funding decision in plain language.": "Egluro'r rhesymau dros bob penderfyniad cyllido mewn iaith glir.",
    "Offer grants and contracts over several years where the work needs time to show results.": "Cynnig grantiau a chontractau dros sawl blwyddyn pan fo angen amser ar y gwaith i ddangos "
    "canlyniadau.",
    "Keep application and monitoring demands in proportion to the sums involved.": "Cadw gofynion ceisiadau a monitro yn gymesur â'r symiau dan sylw.",
    "Accept fair overheads, including the cost of training and supporting volunteers, in funding bids.": "Derbyn costau cyffredinol teg mewn ceisiadau am gyllid, gan gynnwys cost hyfforddi a chefnogi "
    "gwirfoddolwyr.",
    "Check they are eligible before applying, and be clear about what the money will achieve.": "Gwirio eu bod yn gymwys cyn gwneud cais, a bod yn glir ynghylch yr hyn y bydd yr arian yn ei "
    "gyflawni.",
    "Keep sound governance and tell funders early about big changes in their circumstances.": "Cynnal llywodraethu cadarn a rhoi gwybod i gyllidwyr yn gynnar am newidiadau mawr yn eu "
    "hamgylchiadau.",
    "Acknowledge public funding in their publicity.": "Cydnabod cyllid cyhoeddus yn eu deunydd cyhoeddusrwydd.",
    # Outcome 4
    "Well-managed change to funding and services": "Rheoli newidiadau i gyllid a gwasanaethau yn dda",
    "Agree a plan to improve a struggling service before deciding to end its funding.": "Cytuno ar gynllun i wella gwasanaeth sy'n cael trafferth cyn penderfynu dod â'i gyllid i ben.",
    "Assess the effect on service users, beneficiaries and volunteers before reducing or ending funding.": "Asesu'r effaith ar ddefnyddwyr gwasanaethau, buddiolwyr a gwirfoddolwyr cyn lleihau cyllid neu "
    "ddod ag ef i ben.",
    "Talk with the group affected before a final decision on cutting resources, and weigh its response.": "Siarad â'r grŵp dan sylw cyn gwneud penderfyniad terfynol ar dorri adnoddau, a phwyso a mesur "
    "ei ymateb.",
    "Give at least three months' written notice before changing or ending funding or other support, "
    "except in exceptional circumstances, and give the reasons in writing.": "Rhoi o leiaf dri mis o rybudd ysgrifenedig cyn newid cyllid neu gymorth arall neu ddod ag ef i "
    "ben, ac eithrio mewn amgylchiadau eithriadol, a rhoi'r rhesymau'n ysgrifenedig.",
    "Plan ahead for funding ending, to protect the people they serve.": "Cynllunio ymlaen llaw ar gyfer diwedd cyllid, er mwyn diogelu'r bobl y maent yn eu gwasanaethu.",
    "Take part constructively in reviews of services and funding.": "Cymryd rhan yn adeiladol mewn adolygiadau o wasanaethau a chyllid.",
    # Outcome 5
    "Fairness and inclusion for all residents": "Tegwch a chynhwysiant i'r holl drigolion",
    "Work with groups that support people protected by equality law and those whose voices are seldom heard.": "Gweithio gyda grwpiau sy'n cefnogi pobl a warchodir gan gyfraith cydraddoldeb a'r rheini nad yw "
    "eu lleisiau'n cael eu clywed yn aml.",
    "Make sure groups serving particular communities can compete for funding on equal terms.": "Sicrhau bod grwpiau sy'n gwasanaethu cymunedau penodol yn gallu cystadlu am gyllid ar delerau "
    "cyfartal.",
    "Act to remove unlawful discrimination and to give under-represented residents a voice.": "Gweithredu i gael gwared ar wahaniaethu anghyfreithlon ac i roi llais i drigolion sydd wedi'u "
    "tangynrychioli.",
    "Show how their work helps public bodies meet their equality duties.": "Dangos sut mae eu gwaith yn helpu cyrff cyhoeddus i gyflawni eu dyletswyddau cydraddoldeb.",
    "Help public bodies understand the needs of the communities they work with.": "Helpu cyrff cyhoeddus i ddeall anghenion y cymunedau y maent yn gweithio gyda nhw.",
    # The edition's own texts
    "This Compact is the promise that public bodies in Example Borough and the borough's voluntary and "
    "community groups make to each other. It sets out how we will plan together, share information, "
    "fund local work fairly and settle disagreements, so that residents get better services.": "Y Compact hwn yw'r addewid y mae cyrff cyhoeddus ym Mwrdeistref Enghraifft a grwpiau gwirfoddol a "
    "chymunedol y fwrdeistref yn ei gwneud i'w gilydd. Mae'n nodi sut y byddwn yn cynllunio gyda'n "
    "gilydd, yn rhannu gwybodaeth, yn ariannu gwaith lleol yn deg ac yn datrys anghytundebau, er mwyn "
    "i drigolion gael gwell gwasanaethau.",
    "Every partner names a Compact champion. The Compact coordinator reports each November, in Compact "
    "Week, on how well partners kept their undertakings, using the figures this portal records.": "Mae pob partner yn enwi hyrwyddwr y Compact. Bob mis Tachwedd, yn Wythnos y Compact, mae "
    "cydgysylltydd y Compact yn adrodd ar ba mor dda y cadwodd y partneriaid eu hymgymeriadau, gan "
    "ddefnyddio'r ffigurau y mae'r porth hwn yn eu cofnodi.",
    "If you think a partner has not kept the Compact, first talk to them. If that does not settle it, "
    "write to the people who made the decision, name the undertakings you think were broken, and ask "
    "them to look into it and explain. The coordinator can arrange independent mediation. Raising a "
    "concern must never put a group's funding at risk.": "Os ydych chi'n credu nad yw partner wedi cadw'r Compact, siaradwch ag ef yn gyntaf. Os na fydd "
    "hynny'n datrys y mater, ysgrifennwch at y bobl a wnaeth y penderfyniad, enwch yr ymgymeriadau y "
    "credwch iddynt gael eu torri, a gofynnwch iddynt ymchwilio ac egluro. Gall y cydgysylltydd drefnu "
    "cyfryngu annibynnol. Ni ddylai codi pryder fyth roi cyllid grŵp mewn perygl.",
    # Consultations
    "Library opening hours from next April": "Oriau agor y llyfrgelloedd o fis Ebrill nesaf",
    "We are proposing new opening hours for the borough's six libraries and want to hear "
    "from the groups that use them.": "Rydym yn cynnig oriau agor newydd ar gyfer chwe llyfrgell y fwrdeistref, ac rydym am glywed gan "
    "y grwpiau sy'n eu defnyddio.",
    "Winter shelter arrangements": "Trefniadau'r lloches dros y gaeaf",
    "How the night shelter should run this winter.": "Sut y dylai'r lloches nos gael ei rhedeg y gaeaf hwn.",
    "Community grants scheme": "Cynllun grantiau cymunedol",
    "The rules for the small grants the council gives to community groups.": "Y rheolau ar gyfer y grantiau bach y mae'r cyngor yn eu rhoi i grwpiau cymunedol.",
    "Twelve groups responded, most of them run by volunteers. We shortened the form for small grants.": "Ymatebodd deuddeg grŵp, a'r rhan fwyaf ohonynt yn cael eu rhedeg gan wirfoddolwyr. Rydym wedi "
    "byrhau'r ffurflen ar gyfer grantiau bach.",
    # The funding notice
    "Annual grant towards the larder's running costs.": "Grant blynyddol tuag at gostau rhedeg y pantri.",
    "The council's budget for community food projects has been cut by a quarter.": "Mae cyllideb y cyngor ar gyfer prosiectau bwyd cymunedol wedi'i thorri o chwarter.",
    # The history (demo/history.py): the original edition, consultations and notices of two years
    "Example Borough Compact 2023": "Compact Bwrdeistref Enghraifft 2023",
    "Parks and open spaces strategy": "Strategaeth parciau a mannau agored",
    "How the borough's parks should be looked after for the next ten years.": "Sut y dylid gofalu am barciau'r fwrdeistref am y deng mlynedd nesaf.",
    "Groups asked for more seating and toilets; both are now in the plan.": "Gofynnodd grwpiau am ragor o seddi a thoiledau; mae'r ddau bellach yn y cynllun.",
    "Adult social care charges": "Taliadau gofal cymdeithasol i oedolion",
    "What people pay towards care at home and day services.": "Faint y mae pobl yn ei dalu tuag at ofal yn y cartref a gwasanaethau dydd.",
    "Carers' groups asked for a cap on weekly charges. We set one.": "Gofynnodd grwpiau gofalwyr am uchafswm ar y taliadau wythnosol. Rydym wedi pennu un.",
    "Neighbourhood policing priorities": "Blaenoriaethau plismona bro",
    "What neighbourhood police teams should deal with first.": "Beth y dylai timau plismona bro ymdrin ag ef yn gyntaf.",
    "Residents' groups named antisocial driving first; it leads the new priorities.": "Rhoddodd grwpiau trigolion yrru gwrthgymdeithasol yn gyntaf; mae ar frig y blaenoriaethau newydd.",
    "Community mental health services": "Gwasanaethau iechyd meddwl cymunedol",
    "A new way of running mental health support close to home.": "Ffordd newydd o ddarparu cymorth iechyd meddwl yn agos at adref.",
    "Groups asked for evening drop-in sessions; two are starting in the spring.": "Gofynnodd grwpiau am sesiynau galw heibio gyda'r nos; bydd dwy sesiwn yn dechrau yn y gwanwyn.",
    "Household waste collections": "Casgliadau gwastraff y cartref",
    "How often bins are emptied and what goes in each one.": "Pa mor aml y caiff biniau eu gwagio a beth sy'n mynd ym mhob un.",
    "Groups for older residents asked for assisted collections to stay. They stay.": "Gofynnodd grwpiau ar gyfer trigolion hŷn i'r casgliadau â chymorth barhau. Byddant yn parhau.",
    "Youth services review": "Adolygiad o'r gwasanaethau ieuenctid",
    "Where and when the borough's youth clubs open.": "Ble a phryd y mae clybiau ieuenctid y fwrdeistref ar agor.",
    "Young people asked that the youth clubs open on Saturdays. Three now do.": "Gofynnodd pobl ifanc i'r clybiau ieuenctid agor ar ddydd Sadwrn. Mae tri ohonynt bellach yn gwneud hynny.",
    "Fire station cover at night": "Criwiau'r gorsafoedd tân yn ystod y nos",
    "How many crews are on duty at night at each station.": "Faint o griwiau sydd ar ddyletswydd yn ystod y nos ym mhob gorsaf.",
    "Health visitor clinics": "Clinigau ymwelwyr iechyd",
    "Where parents of young children can see a health visitor.": "Ble y gall rhieni plant ifanc weld ymwelydd iechyd.",
    "Parents' groups asked to keep the Saturday clinic. It is kept.": "Gofynnodd grwpiau rhieni am gadw'r clinig ar ddydd Sadwrn. Mae'n cael ei gadw.",
    "Grant for the carers' drop-in sessions.": "Grant ar gyfer sesiynau galw heibio'r gofalwyr.",
    "The grant is shared with a new carers' service in the north of the borough.": "Mae'r grant yn cael ei rannu â gwasanaeth gofalwyr newydd yng ngogledd y fwrdeistref.",
    "Contract for youth outreach work.": "Contract ar gyfer gwaith allgymorth ieuenctid.",
    "The outreach contract is being brought into the council's own youth service.": "Mae'r gwaith allgymorth yn symud i wasanaeth ieuenctid y cyngor ei hun.",
    "Room hire at the civic centre, free of charge until now.": "Llogi ystafell yn y ganolfan ddinesig, a oedd am ddim hyd yma.",
    "The civic centre is closing for repairs.": "Mae'r ganolfan ddinesig yn cau ar gyfer gwaith atgyweirio.",
    "Grant for welfare benefits advice.": "Grant ar gyfer cyngor ar fudd-daliadau lles.",
    "The national grant that paid for it ended without warning.": "Daeth y grant cenedlaethol a oedd yn talu amdano i ben heb rybudd.",
    "Grant for the refugee welcome café.": "Grant ar gyfer caffi croeso i ffoaduriaid.",
    "The grant now pays for English classes as well as the café.": "Mae'r grant bellach yn talu am wersi Saesneg yn ogystal â'r caffi.",
    "Contract for arts sessions in care homes.": "Contract ar gyfer sesiynau celf mewn cartrefi gofal.",
    "The care homes will run their own activity programmes.": "Bydd y cartrefi gofal yn cynnal eu rhaglenni gweithgareddau eu hunain.",
    # Compact Cwm Enghraifft (demo/compacts.py), Welsh first
    "Example Valley Compact": "Compact Cwm Enghraifft",
    "Example Valley Compact 2025": "Compact Cwm Enghraifft 2025",
    "Public bodies and community groups in Example Valley agree here how they will work together, in Welsh and in English.": "Yma mae cyrff cyhoeddus a grwpiau cymunedol Cwm Enghraifft yn cytuno sut y byddant yn gweithio gyda'i gilydd, yn Gymraeg ac yn Saesneg.",
    "Groups have a say early": "Mae gan grwpiau lais yn gynnar",
    "Consult groups for at least twelve weeks, in Welsh and English, and say why when it is shorter.": "Ymgynghori â grwpiau am o leiaf ddeuddeg wythnos, yn Gymraeg ac yn Saesneg, a dweud pam pan fydd yn fyrrach.",
    "Answer consultations and share what the people they serve think.": "Ymateb i ymgynghoriadau a rhannu barn y bobl y maent yn eu gwasanaethu.",
    "Funding changes are fair and planned": "Mae newidiadau i gyllid yn deg ac wedi'u cynllunio",
    "Give three months' written notice before funding changes or ends.": "Rhoi tri mis o rybudd ysgrifenedig cyn i gyllid newid neu ddod i ben.",
    "Tell funders early when their plans or circumstances change.": "Rhoi gwybod i gyllidwyr yn gynnar pan fydd eu cynlluniau neu eu hamgylchiadau'n newid.",
    "School transport": "Cludiant i'r ysgol",
    "Which pupils get free transport to school.": "Pa ddisgyblion sy'n cael cludiant am ddim i'r ysgol.",
    "Groups asked for the walking distance to be measured along safe routes. It now is.": "Gofynnodd grwpiau i'r pellter cerdded gael ei fesur ar hyd llwybrau diogel. Dyna a wneir bellach.",
    "Leisure centre opening hours": "Oriau agor y canolfannau hamdden",
    "When the two leisure centres open at weekends.": "Pryd y mae'r ddwy ganolfan hamdden ar agor ar benwythnosau.",
    "Grant for the food bank's van.": "Grant ar gyfer fan y banc bwyd.",
    "The grant is moving to a fund that every food project can bid for.": "Mae'r grant yn symud i gronfa y gall pob prosiect bwyd wneud cais iddi.",
    # The action plan (demo/plan.py)
    "Sign up ten more voluntary and community groups to the refreshed Compact": "Cael deg grŵp gwirfoddol a chymunedol arall i ymuno â'r Compact wedi'i adnewyddu",
    "Make every formal consultation twelve weeks long, or explain why not": "Sicrhau bod pob ymgynghoriad ffurfiol yn para deuddeg wythnos, neu egluro pam lai",
    "Hold a Compact Week meeting of all the partners": "Cynnal cyfarfod o'r holl bartneriaid yn ystod Wythnos y Compact",
    "Train the council's funding officers in the Compact": "Hyfforddi swyddogion cyllid y cyngor ar y Compact",
    "Ask every signatory to name a Compact champion": "Gofyn i bob llofnodwr enwi hyrwyddwr y Compact",
}
