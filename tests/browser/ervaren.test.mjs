// survey-defs/ervaren-discriminatie-2026.json (format 2) answered in a
// real browser; see walk.mjs. Three paths through its conditions: an
// experience that was reported, one that was not, and nothing experienced
// (the pages over_ervaring and melden are skipped).

import { PREFER_NOT, instrumentSuite } from './walk.mjs';

const background = {
  leeftijd: '25_34',
  gender: 'vrouw',
  werk_soort: 'uitvoering',
  schaal: 'tot_8',
  leidinggevende: 'nee',
  geboorteland: 'nederland',
  geboorteland_moeder: 'suriname',
  culturele_achtergrond: 'surinaams',
  beperking: 'nee',
  chronische_ziekte: PREFER_NOT,
  neurodivergentie: 'nee',
  seksuele_orientatie: 'hetero',
};

instrumentSuite('ervaren-discriminatie-2026.json', {
  paths: {
    gemeld: {
      ongewenst_gedrag: ['pesten', 'discriminatie'],
      discriminatie_twijfel: 'nee',
      gezien_bij_collega: ['discriminatie'],
      grond: ['herkomst', 'geloof'],
      door_wie: ['collega', 'inwoner_klant'],
      hoe_vaak: '2_5',
      gemeld: 'ja',
      waar_gemeld: ['vertrouwenspersoon_intern', 'huis_klokkenluiders'],
      m_afhandeling: { af_serieus: '4', af_op_de_hoogte: '2', af_regie: '3', af_actie: '2' },
      nadelige_gevolgen: 'ja',
      tevreden_afhandeling: 'loopt_nog',
      ...background,
      toelichting: 'Het gebeurde vooral in de kantine.',
    },
    niet_gemeld: {
      ongewenst_gedrag: ['geen'],
      discriminatie_twijfel: 'ja',
      grond: ['weet_niet'],
      hoe_vaak: '1',
      gemeld: 'nee',
      waarom_niet_gemeld: ['helpt_niet', 'bang_gevolgen'],
      ...background,
      gender: 'anders',
      gender_self: 'queer',
    },
    niets: {
      ongewenst_gedrag: ['geen'],
      discriminatie_twijfel: 'nee',
      gezien_bij_collega: ['geen'],
      leeftijd: '55_plus',
    },
  },
});
