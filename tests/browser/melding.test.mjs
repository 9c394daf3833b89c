// survey-defs/melding.json (format 2: the anonymous report form, three
// pages) answered in a real browser through a one-time link; see walk.mjs.
// If reports get a receipt page instead of the thank-you page, set
// finalHeading below to its heading (or null).

import { instrumentSuite } from './walk.mjs';

instrumentSuite('melding.json', {
  paths: {
    volledig: {
      wat_gebeurd: 'Een collega maakt steeds grappen over mijn geloof.\nDat gebeurt vooral in de pauze.',
      betrokkenheid: 'zelf',
      wanneer: '1_4_weken',
      nog_gaande: 'ja',
      vorm: ['micro_agressie', 'discriminatie'],
      grond: ['geloof'],
      door_wie: ['collega'],
      cluster: 'sociaal',
      wensen: ['gesprek', 'advies'],
      toestemming: 'ja_lezen_reageren',
    },
    // Only what is required.
    kort: {
      wat_gebeurd: 'Iemand werd buitengesloten bij het teamoverleg.',
      toestemming: 'ja_alleen_lezen',
    },
  },
});
