// survey-defs/inclusie-2026.json (format 2: a welcome page, ten pages,
// matrices, conditions) answered in a real browser; see walk.mjs. Nothing
// is required, so the page with a validation error comes from a text
// that is too long.

import { PREFER_NOT, instrumentSuite } from './walk.mjs';

const background = {
  leeftijd: '35_44',
  gender: 'anders',
  gender_self: 'genderfluïde',
  werk_soort: 'beleid',
  schaal: '9_11',
  leidinggevende: 'nee',
  geboorteland: 'nederland',
  geboorteland_moeder: 'nederland',
  geboorteland_vader: 'turkije',
  culturele_achtergrond: 'weet_niet',
  beperking: 'ja_niet_zichtbaar',
  chronische_ziekte: 'nee',
  neurodivergentie: 'weet_niet',
  seksuele_orientatie: 'twijfel',
};

instrumentSuite('inclusie-2026.json', {
  paths: {
    // Every question, every condition true (witnessed, agreements, needs
    // adjustments, support, a training, in two minds about leaving).
    volledig: {
      m_gezien_gehoord: { gg_mezelf: '4', gg_erbij: '5', gg_geluisterd: '3', gg_serieus: '4' },
      m_gewaardeerd: '4',
      m_sociale_veiligheid: { sv_fouten: '4', sv_lastig: '3', sv_respect: '5', sv_onveilig: '2' },
      m_gelijke_kansen: { gk_behandeling: '4', gk_taken: '3', gk_ontwikkeling: '4', gk_harder: PREFER_NOT },
      doorgroei_gelijk: 'sommigen_minder',
      m_leiderschap: { il_eerlijk: '4', il_open: '5', il_vraagt: '4', il_behoeften: '3', il_ingrijpen: '4', il_voorbeeld: PREFER_NOT },
      m_aanspreken: '4',
      m_melden: { ml_weet_waar: '5', ml_vertrouwen: '2' },
      omstander_gezien: 'ja',
      omstander_actie: ['steun', 'gemeld'],
      m_bewustzijn: { bw_herkennen: '4', bw_eigen_gedrag: '5', bw_taal: '4', it_team_taal: '3' },
      gedragscode_kennis: 'een_beetje',
      team_afspraken: 'ja',
      team_afspraken_naleven: '4',
      aanpassingen_nodig: 'ja',
      m_toegankelijkheid: { tg_fysiek: '4', tg_digitaal: '2', tg_begrip: '3', tg_geregeld: '2', tg_moeite: '4' },
      ondersteuning: ['lotgenoten'],
      ondersteuning_geholpen: 'veel',
      omstanderstraining: 'ja',
      trainingen: ['geen'],
      m_training: { tr_geleerd: '4', tr_toegepast: '3' },
      aanpak_merkbaar: 'beetje',
      verandering_werkvloer: 'meer',
      vertrekintentie: 'twijfel',
      vertrek_redenen: ['werkdruk', 'doorgroei'],
      ...background,
      toelichting: 'Fijne organisatie, maar het kan beter.',
    },
    // Almost nothing answered: nothing is required, the follow-ups stay
    // closed.
    weinig: {
      omstander_gezien: 'nee',
      aanpassingen_nodig: 'nee',
    },
  },
});
