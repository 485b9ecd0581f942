/** Word lists for the simulated fleet: towns, people, documents. Plausible, not real. */

/** Default tenants: member towns of the syndicate, with a 4-letter host-name code and a weight (size). */
export const DEFAULT_TENANTS: ReadonlyArray<{ id: string; code: string; weight: number }> = [
  { id: 'saint-aubin', code: 'SAUB', weight: 3 },
  { id: 'beaumont', code: 'BEAU', weight: 2.5 },
  { id: 'villeneuve-sur-vire', code: 'VILV', weight: 2 },
  { id: 'fontenay-le-bois', code: 'FONT', weight: 1.5 },
  { id: 'montclar', code: 'MONT', weight: 1.2 },
  { id: 'la-roche-aux-moines', code: 'LRAM', weight: 1 },
  { id: 'vernoux', code: 'VERN', weight: 1 },
  { id: 'champagnac', code: 'CHAM', weight: 0.8 },
  { id: 'sainte-colombe', code: 'SCOL', weight: 0.8 },
  { id: 'marcillac', code: 'MARC', weight: 0.7 },
  { id: 'bellefontaine', code: 'BELF', weight: 0.6 },
  { id: 'roquebrune-les-pins', code: 'ROQB', weight: 0.5 },
];

export const FIRST_NAMES = [
  'marie', 'nathalie', 'isabelle', 'sylvie', 'catherine', 'sophie', 'christine', 'valerie',
  'sandrine', 'celine', 'julie', 'camille', 'emilie', 'laura', 'manon', 'chloe', 'lea', 'anne',
  'jean', 'philippe', 'michel', 'alain', 'patrick', 'nicolas', 'christophe', 'pierre', 'eric',
  'laurent', 'thierry', 'olivier', 'julien', 'thomas', 'sebastien', 'antoine', 'kevin', 'hugo',
  'lucas', 'yann', 'gilles', 'pascal',
] as const;

export const LAST_NAMES = [
  'martin', 'bernard', 'dubois', 'thomas', 'robert', 'richard', 'petit', 'durand', 'leroy',
  'moreau', 'simon', 'laurent', 'lefebvre', 'michel', 'garcia', 'david', 'bertrand', 'roux',
  'vincent', 'fournier', 'morel', 'girard', 'andre', 'lefevre', 'mercier', 'dupont', 'lambert',
  'bonnet', 'francois', 'martinez', 'legrand', 'garnier', 'faure', 'rousseau', 'blanc',
  'guerin', 'muller', 'henry', 'roussel', 'nicolas', 'perrin', 'morin', 'mathieu', 'clement',
  'gauthier', 'dumont', 'lopez', 'fontaine', 'chevalier', 'robin',
] as const;

/** Municipal services: folders on the file server and department names. */
export const SERVICES = [
  'Etat-Civil', 'Urbanisme', 'Finances', 'RH', 'Services-Techniques', 'Ecoles', 'CCAS',
  'Secretariat-General', 'Elections', 'Communication', 'Police-Municipale', 'Marches-Publics',
] as const;

export const DOCUMENTS = [
  { stem: 'Deliberation_CM', ext: 'docx' }, { stem: 'Budget_primitif', ext: 'xlsx' },
  { stem: 'Arrete_municipal', ext: 'docx' }, { stem: 'Planning_equipes', ext: 'xlsx' },
  { stem: 'Convocation_conseil', ext: 'docx' }, { stem: 'Suivi_factures', ext: 'xlsx' },
  { stem: 'Permis_construire_instruction', ext: 'docx' }, { stem: 'Note_de_service', ext: 'docx' },
  { stem: 'Presentation_projet', ext: 'pptx' }, { stem: 'Tableau_effectifs', ext: 'xlsx' },
  { stem: 'Compte_rendu_reunion', ext: 'docx' }, { stem: 'Inscriptions_cantine', ext: 'xlsx' },
] as const;

export const PDFS = [
  'Facture_fournisseur', 'Bon_de_commande', 'Devis_travaux', 'Courrier_prefecture',
  'Bulletin_municipal', 'Attestation', 'Releve_bancaire', 'Plan_cadastral', 'Note_DGFiP',
] as const;

/** Syndicate administrators (Linux sudoers, Windows server admins). */
export const ADMINS = ['adm-jlegrand', 'adm-smorel', 'adm-pfaure', 'adm-cblanc'] as const;
