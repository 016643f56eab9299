/**
 * Word lists and builders for believable sample prospects: people, companies, domains, titles,
 * phone numbers valid for libphonenumber-js, by country.
 */
import disposableDomains from 'disposable-email-domains/index.json' with { type: 'json' }
import freeEmailDomains from 'free-email-domains-list'
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import roleBasedPrefixes from 'role-based-email-addresses'

import type { Random } from './random.js'
import type { SampleRegion } from './sample-team.js'

interface NamePool {
  readonly first: readonly string[]
  readonly last: readonly string[]
}

export interface CountrySpec {
  /** ISO 3166-1 alpha-2. */
  readonly code: string
  /** Share of the sample's leads. */
  readonly weight: number
  /** The SDR region that covers it; null outside the staffed territories. */
  readonly region: SampleRegion | null
  readonly timeZones: readonly (readonly [string, number])[]
  readonly dialCode: string
  /** National significant numbers: N is a digit 2–9, X any digit. */
  readonly phonePatterns: readonly string[]
  readonly tlds: readonly string[]
  readonly names: NamePool
}

/** A comma-separated word list, written compactly. */
function list(text: string): readonly string[] {
  return text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '')
}

const US_NAMES: NamePool = {
  first: list(`
    James, Mary, Michael, Jennifer, David, Sarah, Chris, Jessica, Daniel, Emily, Matthew,
    Ashley, Ryan, Megan, Kevin, Lauren, Brian, Rachel, Jason, Nicole, Tyler, Amanda, Marcus,
    Olivia, Ethan, Sofia, Noah, Grace, Aaron, Hannah, Carlos, Maria, Wei, Mei, Jamal, Aisha,
    Diego, Camila, Priya, Andre, Tanya, Derek, Kendra, Samuel, Natalie
  `),
  last: list(`
    Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez,
    Hernandez, Lopez, Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Thompson,
    White, Harris, Clark, Lewis, Walker, Hall, Young, Allen, King, Wright, Scott, Nguyen,
    Patel, Kim, Chen, Brooks, Reed, Cooper, Bennett, Washington, Ramirez, Foster, Sullivan,
    Park
  `),
}
const CA_NAMES: NamePool = {
  first: [...US_NAMES.first, 'Étienne', 'Chloé', 'Mathieu', 'Isabelle', 'Gabriel', 'Simone'],
  last: [...US_NAMES.last, 'Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Singh', 'MacDonald'],
}
const UK_NAMES: NamePool = {
  first: list(`
    Oliver, Amelia, Harry, Isla, George, Ava, Jack, Emily, Charlie, Poppy, Thomas, Sophie,
    James, Freya, William, Lucy, Callum, Imogen, Rory, Priya, Hamza, Zara, Ben, Eleanor
  `),
  last: list(`
    Smith, Jones, Taylor, Brown, Williams, Wilson, Evans, Thomas, Roberts, Walker, Wright,
    Hughes, Edwards, Green, Hall, Wood, Clarke, Patel, Khan, Harrison, Morgan, Bennett,
    Fletcher, Ahmed
  `),
}
const IE_NAMES: NamePool = {
  first: list(`
    Liam, Aoife, Sean, Niamh, Conor, Ciara, Darragh, Saoirse, Cian, Róisín
  `),
  last: list(`
    Murphy, Kelly, O'Brien, Byrne, Ryan, Walsh, O'Sullivan, Doyle, McCarthy
  `),
}
const DACH_NAMES: NamePool = {
  first: list(`
    Lukas, Anna, Leon, Lea, Finn, Laura, Jonas, Julia, Felix, Sarah, Paul, Lena, Maximilian,
    Katharina, Tobias, Sophie, Stefan, Sabine, Jürgen, Jana
  `),
  last: list(`
    Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Koch,
    Richter, Klein, Wolf, Schröder, Neumann, Huber, Gruber, Steiner, Keller, Meier, Brunner
  `),
}
const IN_NAMES: NamePool = {
  first: list(`
    Aarav, Priya, Rohan, Ananya, Vikram, Neha, Arjun, Kavya, Rahul, Pooja, Sanjay, Divya,
    Karthik, Meera, Aditya, Shreya, Nikhil, Isha, Siddharth, Lakshmi
  `),
  last: list(`
    Sharma, Verma, Gupta, Iyer, Reddy, Nair, Patel, Singh, Kumar, Mehta, Rao, Menon, Joshi,
    Chatterjee, Desai, Kapoor, Banerjee, Pillai
  `),
}
const ANZ_NAMES: NamePool = {
  first: list(`
    Jack, Charlotte, William, Olivia, Lachlan, Mia, Cooper, Chloe, Riley, Zoe, Mitchell,
    Isabella, Hamish, Ruby, Aroha, Nikau, Tama, Grace
  `),
  last: list(`
    Smith, Jones, Williams, Brown, Wilson, Taylor, Nguyen, Kelly, Ryan, Campbell, Mitchell,
    Thompson, White, Walker, Harris, Ngata, Parata, Tran
  `),
}
const BR_NAMES: NamePool = {
  first: list(`
    Lucas, Ana, Gabriel, Beatriz, Rafael, Juliana, Pedro, Mariana, Thiago
  `),
  last: list(`
    Silva, Santos, Oliveira, Souza, Lima, Pereira, Costa, Ferreira, Almeida
  `),
}
const FR_NAMES: NamePool = {
  first: list(`
    Louis, Chloé, Hugo, Léa, Théo, Manon, Nicolas, Camille, Antoine
  `),
  last: list(`
    Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Moreau
  `),
}
const SG_NAMES: NamePool = {
  first: list(`
    Wei Jie, Hui Min, Jun Hao, Xin Yi, Darren, Rachel, Marcus, Jasmine
  `),
  last: list(`
    Tan, Lim, Lee, Ng, Ong, Wong, Goh, Chua, Koh
  `),
}
const MX_NAMES: NamePool = {
  first: list(`
    Alejandro, Sofía, Diego, Valentina, Jorge, Fernanda, Luis, Ximena
  `),
  last: list(`
    Hernández, García, Martínez, López, González, Rodríguez, Pérez, Sánchez
  `),
}

/** Staffed territories first; BR, FR, SG, MX are outside the default policy's coverage. */
export const COUNTRIES: readonly CountrySpec[] = [
  {
    code: 'US',
    weight: 46,
    region: 'na',
    timeZones: [
      ['America/New_York', 48],
      ['America/Chicago', 25],
      ['America/Denver', 7],
      ['America/Los_Angeles', 20],
    ],
    dialCode: '1',
    phonePatterns: [
      '212NXXXXXX',
      '646NXXXXXX',
      '415NXXXXXX',
      '650NXXXXXX',
      '312NXXXXXX',
      '617NXXXXXX',
      '512NXXXXXX',
      '206NXXXXXX',
      '303NXXXXXX',
      '404NXXXXXX',
      '213NXXXXXX',
      '305NXXXXXX',
      '214NXXXXXX',
      '720NXXXXXX',
      '503NXXXXXX',
      '919NXXXXXX',
    ],
    tlds: ['.com', '.com', '.com', '.io', '.co'],
    names: US_NAMES,
  },
  {
    code: 'CA',
    weight: 5,
    region: 'na',
    timeZones: [
      ['America/Toronto', 60],
      ['America/Vancouver', 25],
      ['America/Edmonton', 15],
    ],
    dialCode: '1',
    phonePatterns: ['416NXXXXXX', '647NXXXXXX', '604NXXXXXX', '514NXXXXXX', '403NXXXXXX'],
    tlds: ['.ca', '.com'],
    names: CA_NAMES,
  },
  {
    code: 'GB',
    weight: 12,
    region: 'emea',
    timeZones: [['Europe/London', 1]],
    dialCode: '44',
    phonePatterns: ['207XXXXXXX', '203XXXXXXX', '161NXXXXXX', '131NXXXXXX', '7[4-9]XXXXXXXX'],
    tlds: ['.co.uk', '.com', '.io'],
    names: UK_NAMES,
  },
  {
    code: 'IE',
    weight: 2,
    region: 'emea',
    timeZones: [['Europe/Dublin', 1]],
    dialCode: '353',
    phonePatterns: ['1NXXXXXX', '8[3-7]XXXXXXX'],
    tlds: ['.ie', '.com'],
    names: IE_NAMES,
  },
  {
    code: 'DE',
    weight: 7,
    region: 'emea',
    timeZones: [['Europe/Berlin', 1]],
    dialCode: '49',
    phonePatterns: ['30NXXXXXXX', '89NXXXXXX', '40NXXXXXXX', '151XXXXXXXX', '17[0-8]XXXXXXX'],
    tlds: ['.de', '.com', '.io'],
    names: DACH_NAMES,
  },
  {
    code: 'AT',
    weight: 1,
    region: 'emea',
    timeZones: [['Europe/Vienna', 1]],
    dialCode: '43',
    phonePatterns: ['1NXXXXXX', '66[0-9]XXXXXXX'],
    tlds: ['.at', '.com'],
    names: DACH_NAMES,
  },
  {
    code: 'CH',
    weight: 2,
    region: 'emea',
    timeZones: [['Europe/Zurich', 1]],
    dialCode: '41',
    phonePatterns: ['44NXXXXXX', '22NXXXXXX', '7[6-9]NXXXXXX'],
    tlds: ['.ch', '.com'],
    names: DACH_NAMES,
  },
  {
    code: 'IN',
    weight: 8,
    region: 'apac',
    timeZones: [['Asia/Kolkata', 1]],
    dialCode: '91',
    phonePatterns: ['9[0-9]XXXXXXXX', '8[0-9]XXXXXXXX', '7[0-9]XXXXXXXX'],
    tlds: ['.in', '.com', '.io'],
    names: IN_NAMES,
  },
  {
    code: 'AU',
    weight: 6,
    region: 'apac',
    timeZones: [
      ['Australia/Sydney', 55],
      ['Australia/Melbourne', 45],
    ],
    dialCode: '61',
    phonePatterns: ['2[89]XXXXXXX', '3[89]XXXXXXX', '4[0-9]XXXXXXX'],
    tlds: ['.com.au', '.com', '.io'],
    names: ANZ_NAMES,
  },
  {
    code: 'NZ',
    weight: 1,
    region: 'apac',
    timeZones: [['Pacific/Auckland', 1]],
    dialCode: '64',
    phonePatterns: ['9NXXXXXX', '2[12]XXXXXXX'],
    tlds: ['.co.nz', '.com'],
    names: ANZ_NAMES,
  },
  {
    code: 'BR',
    weight: 1.5,
    region: null,
    timeZones: [['America/Sao_Paulo', 1]],
    dialCode: '55',
    phonePatterns: ['113NXXXXXX', '119NXXXXXXX', '213NXXXXXX'],
    tlds: ['.com.br'],
    names: BR_NAMES,
  },
  {
    code: 'FR',
    weight: 1,
    region: null,
    timeZones: [['Europe/Paris', 1]],
    dialCode: '33',
    phonePatterns: ['1XXXXXXXX', '6XXXXXXXX'],
    tlds: ['.fr', '.com'],
    names: FR_NAMES,
  },
  {
    code: 'SG',
    weight: 0.7,
    region: null,
    timeZones: [['Asia/Singapore', 1]],
    dialCode: '65',
    phonePatterns: ['6[1-9]XXXXXX', '9[0-8]XXXXXX'],
    tlds: ['.sg', '.com.sg', '.com'],
    names: SG_NAMES,
  },
  {
    code: 'MX',
    weight: 0.3,
    region: null,
    timeZones: [['America/Mexico_City', 1]],
    dialCode: '52',
    phonePatterns: ['55NXXXXXXX', '33NXXXXXXX'],
    tlds: ['.com.mx', '.mx'],
    names: MX_NAMES,
  },
]

export function pickCountry(random: Random): CountrySpec {
  return random.weighted(COUNTRIES.map((country) => [country, country.weight] as const))
}

/** Lower-case ASCII letters and digits only: "Müller" → "mueller", "O'Brien" → "obrien". */
export function asciiSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '')
}

export function personName(random: Random, country: CountrySpec): { first: string; last: string } {
  return { first: random.pick(country.names.first), last: random.pick(country.names.last) }
}

function fillPattern(random: Random, pattern: string): string {
  return pattern.replace(/\[(\d)-(\d)\]|N|X/g, (token, from?: string, to?: string) => {
    if (from !== undefined && to !== undefined) {
      return String(random.int(Number(from), Number(to)))
    }
    return String(token === 'N' ? random.int(2, 9) : random.int(0, 9))
  })
}

/** A phone number valid for libphonenumber-js in the country, in international format. */
export function phoneNumber(random: Random, country: CountrySpec): string {
  let fallback = ''
  for (let attempt = 0; attempt < 20; attempt++) {
    const digits = `+${country.dialCode}${fillPattern(random, random.pick(country.phonePatterns))}`
    const parsed = parsePhoneNumberFromString(digits)
    fallback = digits
    if (parsed?.isValid() && parsed.country === country.code) {
      return parsed.formatInternational()
    }
  }
  return fallback
}

/** Numbers a web form lets through that no phone network would. */
export const INVALID_PHONES: readonly string[] = ['12345', '000-000-0000', '555-0100', '1234567']

export interface Persona {
  readonly kind: 'economic-buyer' | 'influencer' | 'other'
  readonly titles: readonly string[]
}

export const ECONOMIC_BUYER_TITLES: readonly string[] = [
  'VP Marketing',
  'VP of Sales',
  'VP Revenue Operations',
  'Vice President, Demand Generation',
  'Director of Marketing',
  'Director of Sales Development',
  'Director, Revenue Operations',
  'Senior Director, Growth Marketing',
  'Head of Growth',
  'Head of Sales',
  'Head of Marketing Operations',
  'Chief Revenue Officer',
  'CMO',
  'CEO',
  'Co-Founder',
]
export const INFLUENCER_TITLES: readonly string[] = [
  'Marketing Operations Manager',
  'Sales Operations Manager',
  'Demand Generation Manager',
  'SDR Manager',
  'Senior Marketing Manager',
  'RevOps Lead',
  'Growth Lead',
  'Principal Consultant',
  'Senior Sales Operations Analyst',
  'Solutions Architect',
  'CRM Manager',
]
export const OTHER_TITLES: readonly string[] = [
  'Marketing Analyst',
  'Marketing Coordinator',
  'Sales Development Representative',
  'Account Executive',
  'Business Analyst',
  'Data Analyst',
  'Marketing Specialist',
  'Software Engineer',
  'Customer Success Associate',
]
export const STUDENT_TITLES: readonly string[] = [
  'Student',
  'MBA Student',
  'Graduate Student',
  'PhD Candidate',
]

/** Display names of industry ids; others are title-cased from the id. */
const INDUSTRY_NAMES: Readonly<Record<string, string>> = {
  software: 'Software',
  saas: 'SaaS',
  fintech: 'Fintech',
  'financial-services': 'Financial Services',
  'healthcare-technology': 'Healthcare Technology',
  'e-commerce': 'E-commerce',
  'it-services': 'IT Services',
  telecommunications: 'Telecommunications',
  media: 'Media',
  manufacturing: 'Manufacturing',
  retail: 'Retail',
  logistics: 'Logistics',
  construction: 'Construction',
  hospitality: 'Hospitality',
  education: 'Education',
  'non-profit': 'Non-profit',
  'real-estate': 'Real Estate',
}

/** Industries outside a typical B2B SaaS ICP. */
export const OTHER_INDUSTRY_IDS: readonly string[] = [
  'manufacturing',
  'retail',
  'logistics',
  'construction',
  'hospitality',
  'education',
  'non-profit',
  'real-estate',
]

export function industryName(id: string): string {
  return (
    INDUSTRY_NAMES[id] ??
    id
      .split('-')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(' ')
  )
}

const COMPANY_STEMS: readonly string[] = list(`
    Acme, Northwind, Bluepeak, Brightline, Cobalt, Evergreen, Ironclad, Lumen, Meridian,
    Nimbus, Orbital, Pinecrest, Quantum, Redwood, Silverline, Summit, Tidewater, Vantage,
    Willow, Zenith, Helix, Atlas, Beacon, Cascade, Driftwood, Ember, Falcon, Granite, Harbor,
    Keystone, Lighthouse, Maple, Nova, Onyx, Pioneer, Sable, Trident, Uplift, Vertex,
    Wildflower, Apex, Crestview, Foxglove, Kestrel, Larkspur, Monarch, Northstar, Osprey,
    Prism, Riverbend, Sparrow, Tandem, Bramble, Copperleaf, Everlane, Glacier, Halcyon,
    Juniper, Lantern, Mosaic, Oakridge, Parallax, Quill, Rook, Solstice, Thistle, Umbra,
    Verity, Waypoint, Yarrow
  `)

const COMPANY_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  software: ['Software', 'Labs', 'Systems', 'Works'],
  saas: ['HQ', 'Cloud', 'Platform', 'App'],
  fintech: ['Pay', 'Ledger', 'Capital', 'Finance'],
  'financial-services': ['Financial', 'Partners', 'Advisors', 'Bank'],
  'healthcare-technology': ['Health', 'Care', 'Medical Systems', 'Clinical'],
  'e-commerce': ['Commerce', 'Goods', 'Market', 'Shop'],
  'it-services': ['Consulting', 'IT', 'Solutions', 'Tech Services'],
  telecommunications: ['Telecom', 'Networks', 'Connect', 'Mobile'],
  media: ['Media', 'Studios', 'Digital', 'Publishing'],
  manufacturing: ['Manufacturing', 'Industries', 'Components', 'Fabrication'],
  retail: ['Retail', 'Stores', 'Outfitters', 'Supply'],
  logistics: ['Logistics', 'Freight', 'Transport', 'Shipping'],
  construction: ['Builders', 'Construction', 'Contracting'],
  hospitality: ['Hotels', 'Hospitality', 'Resorts'],
  education: ['Learning', 'Academy', 'Education'],
  'non-profit': ['Foundation', 'Trust', 'Alliance'],
  'real-estate': ['Properties', 'Realty', 'Estates'],
}

export interface SampleCompany {
  readonly name: string
  readonly domain: string
  /** Industry id (policy form, e.g. "financial-services"). */
  readonly industry: string
  readonly size: number
  readonly country: CountrySpec
  readonly accountStatus?: 'customer' | 'open-opportunity'
}

const DISPOSABLE = new Set<string>(disposableDomains)
const FREE: ReadonlySet<string> = freeEmailDomains.DOMAINS
const ROLE_BASED = new Set<string>(roleBasedPrefixes)

/** A domain the hygiene checks would take for a company's own (not free, not disposable). */
export function isCompanyDomain(domain: string): boolean {
  return !FREE.has(domain) && !DISPOSABLE.has(domain)
}

export function isRoleBasedLocalPart(local: string): boolean {
  return ROLE_BASED.has(local)
}

/** A new company name and domain, not among `taken` domains. */
export function companyNameAndDomain(
  random: Random,
  industry: string,
  country: CountrySpec,
  taken: ReadonlySet<string>,
): { name: string; domain: string } {
  const suffixes = COMPANY_SUFFIXES[industry] ?? ['Group', 'Company', 'Co']
  let name = ''
  let domain = ''
  for (let attempt = 0; attempt < 50; attempt++) {
    const stem = random.pick(COMPANY_STEMS)
    const suffix = random.pick(suffixes)
    name = random.chance(0.25) ? stem : `${stem} ${suffix}`
    const base = random.chance(0.3) ? asciiSlug(stem) : asciiSlug(name)
    domain = `${base}${random.pick(country.tlds)}`
    if (!taken.has(domain) && isCompanyDomain(domain)) {
      return { name, domain }
    }
  }
  // Crowded word space: number it.
  for (let n = 2; ; n++) {
    const numbered = domain.replace(/^([a-z0-9]+)/, `$1${n}`)
    if (!taken.has(numbered) && isCompanyDomain(numbered)) {
      return { name: `${name} ${n}`, domain: numbered }
    }
  }
}

/** Employees: mostly mid-market, with small and enterprise tails. */
export function companySize(random: Random): number {
  const bucket = random.weighted([
    ['micro', 3],
    ['small', 5],
    ['mid', 88],
    ['large', 4],
  ] as const)
  switch (bucket) {
    case 'micro':
      return random.int(2, 9)
    case 'small':
      return random.int(10, 49)
    case 'mid':
      for (let attempt = 0; attempt < 10; attempt++) {
        const size = Math.round(random.logNormal(180, 0.75))
        if (size >= 50 && size <= 1000) {
          return size
        }
      }
      return random.int(50, 400)
    case 'large':
      return Math.round(random.between(1001, 4000) * (random.chance(0.2) ? 5 : 1))
  }
}

export function segmentOf(size: number): string {
  return size < 50 ? 'smb' : size <= 1000 ? 'mid-market' : 'enterprise'
}

/** Annual contract value estimate in USD, rounded to 500. */
export function acvEstimate(random: Random, size: number): number {
  const median = size < 50 ? 9_000 : size < 200 ? 24_000 : size <= 1000 ? 48_000 : 120_000
  return Math.max(3_000, Math.round(random.logNormal(median, 0.35) / 500) * 500)
}

export const FREE_EMAIL_DOMAINS: readonly string[] = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'hotmail.com',
  'icloud.com',
  'proton.me',
]

export const ROLE_LOCAL_PARTS: readonly string[] = [
  'info',
  'sales',
  'hello',
  'contact',
  'marketing',
]

export const UNIVERSITIES: readonly { name: string; domain: string; country: string }[] = [
  { name: 'Stanford University', domain: 'stanford.edu', country: 'US' },
  { name: 'University of Michigan', domain: 'umich.edu', country: 'US' },
  { name: 'New York University', domain: 'nyu.edu', country: 'US' },
  { name: 'University of Texas at Austin', domain: 'utexas.edu', country: 'US' },
  { name: 'Boston University', domain: 'bu.edu', country: 'US' },
  { name: 'University College London', domain: 'ucl.ac.uk', country: 'GB' },
  { name: 'University of Edinburgh', domain: 'ed.ac.uk', country: 'GB' },
  { name: 'University of Melbourne', domain: 'student.unimelb.edu.au', country: 'AU' },
]

export const PRODUCT_INTERESTS: readonly string[] = [
  'Lead Routing',
  'SLA Alerts',
  'Pipeline Analytics',
  'Handoff Briefings',
]

/** Local part of a work address in one of the common corporate patterns. */
export function emailLocalPart(random: Random, first: string, last: string): string {
  const f = asciiSlug(first)
  const l = asciiSlug(last)
  const local = random.weighted([
    [`${f}.${l}`, 60],
    [`${f.charAt(0)}${l}`, 20],
    [`${f}`, 8],
    [`${f}${l.charAt(0)}`, 7],
    [`${f}_${l}`, 5],
  ] as const)
  return isRoleBasedLocalPart(local) ? `${f}.${l}` : local
}
