import type { NormalizedText } from '../text/normalize';
import type { Lexicon } from './lexicon';
import { TermMatcher } from './matcher';
import { type NaiveBayesClassifier, nbFeatures } from './naive-bayes';

export type RejectCode =
  | 'spam_or_advertising'
  | 'phishing'
  | 'abuse_without_complaint'
  | 'information_question'
  | 'test_message'
  | 'private_commercial_matter'
  | 'political_opinion'
  | 'joke'
  | 'irrelevant'
  | 'thanks'
  | 'unlike_a_complaint';

export type AuthorityCode =
  | 'toll_road'
  | 'household_electricity'
  | 'railway'
  | 'national_police'
  | 'private_dispute'
  | 'central_government_facility'
  | 'missing_person';

/**
 * Categories that always need a person because another body acts on them. A missing person
 * is a police matter first (Dinas Sosial assists); the officer decides who follows up.
 */
const CATEGORY_OUTSIDE_AUTHORITY: Readonly<Record<string, { code: AuthorityCode; detail: string }>> = {
  'Orang Hilang': {
    code: 'missing_person',
    detail: 'a missing person is reported to the police first; Dinas Sosial only assists',
  },
};

/** Out-of-authority reason carried by a category itself, if any. */
export function categoryOutsideAuthority(
  category: string | undefined,
): { readonly code: AuthorityCode; readonly detail: string } | undefined {
  return category === undefined ? undefined : CATEGORY_OUTSIDE_AUTHORITY[category];
}

export interface ScreeningResult {
  readonly reject?: { readonly code: RejectCode; readonly detail: string };
  readonly outOfAuthority?: { readonly code: AuthorityCode; readonly detail: string };
  /** Words asking for action ("tolong", "mohon"): a message with them is never irrelevant chatter. */
  readonly asksForAction: boolean;
  readonly signalScores: Readonly<Record<string, number>>;
  /** A rule's rejection the screen model did not believe: the message goes on as a complaint. */
  readonly doubted?: { readonly code: RejectCode; readonly detail: string };
}

/** The screen model's two classes (`src/model/train.ts`). */
export const NOT_A_COMPLAINT = 'not a complaint';

export interface ScreenModelTuning {
  /** A rule's rejection stands unless the model gives the message at most this chance of not being a complaint. */
  readonly doubtBelow: number;
  /** With no rule rejecting, no place, point or app category and little topic, the model rejects from here. */
  readonly rejectFrom: number;
}

// On the held-out sets the model's own rejections all came at 99 % or more, so a lower bar buys
// nothing measured, while one genuine complaint in a frozen set was rejected this way. A missed
// advert costs an officer a glance; a rejected complaint is lost.
export const DEFAULT_SCREEN_MODEL_TUNING: ScreenModelTuning = { doubtBelow: 0.02, rejectFrom: 0.99 };

/**
 * Rejections that rest on a link, a phone number, an advert's words or a private company's
 * name: a model of wording does not overrule them (an ISP outage reads like any complaint).
 */
const UNDOUBTED: ReadonlySet<RejectCode> = new Set([
  'phishing',
  'spam_or_advertising',
  'private_commercial_matter',
  // Thanks for work done names the work ("bersihin saluran"), which reads like a complaint.
  'thanks',
]);

export interface ScreeningInput {
  readonly text: NormalizedText;
  /** Strongest text-only category evidence. */
  readonly complaintScore: number;
  readonly hasHint: boolean;
  readonly hasLocation: boolean;
  /** The text names a kelurahan or landmark. */
  readonly namesPlace?: boolean;
}

const NO_MASK: ReadonlySet<number> = new Set();

/**
 * Decides what is not a complaint for the city (REJECTED) and what is a complaint the city
 * cannot act on itself (TRIAGE for manual redirect). A real complaint always outweighs
 * rudeness, a question mark or a link: each rejection requires weak complaint evidence.
 */
export class Screener {
  private readonly matchers = new Map<string, TermMatcher>();

  constructor(
    lexicon: Lexicon,
    private readonly model?: NaiveBayesClassifier,
    private readonly modelTuning: ScreenModelTuning = DEFAULT_SCREEN_MODEL_TUNING,
  ) {
    for (const [name, terms] of lexicon.signals) this.matchers.set(name, new TermMatcher(terms));
  }

  /**
   * The rules decide; a model trained on complaints and non-complaints (`screen-model.json`)
   * can only doubt a rule's rejection of what reads like a complaint, or reject, as a last
   * step, what reads like none when nothing places it or names a topic strongly.
   */
  screen(input: ScreeningInput): ScreeningResult {
    const ruled = this.screenByRules(input);
    if (!this.model) return ruled;
    const junk = this.model.posterior(nbFeatures(input.text.tokens)).get(NOT_A_COMPLAINT);
    if (junk === undefined) return ruled;
    if (ruled.reject) {
      if (UNDOUBTED.has(ruled.reject.code) || junk > this.modelTuning.doubtBelow) return ruled;
      const { reject, ...rest } = ruled;
      return { ...rest, doubted: reject };
    }
    const unplaced = !input.namesPlace && !input.hasLocation && !input.hasHint;
    const attached = (ruled.signalScores.attachment ?? 0) > 0;
    // "Saya mau melaporkan sesuatu, bisa dibantu?": the report is still to come.
    const aboutToReport = (ruled.signalScores.reportIntent ?? 0) > 0;
    if (
      junk >= this.modelTuning.rejectFrom &&
      unplaced &&
      !attached &&
      !aboutToReport &&
      !ruled.outOfAuthority &&
      input.complaintScore < 3
    ) {
      return {
        ...ruled,
        reject: {
          code: 'unlike_a_complaint',
          detail: `it reads like the messages that are not complaints (${Math.round(junk * 100)} %)`,
        },
      };
    }
    return ruled;
  }

  private score(name: string, text: NormalizedText): number {
    const matcher = this.matchers.get(name);
    if (!matcher) return 0;
    return matcher.match(text.tokens, NO_MASK).reduce((sum, h) => sum + h.effectiveWeight, 0);
  }

  private outOfAuthority(get: (name: string) => number): ScreeningResult['outOfAuthority'] {
    let outOfAuthority: ScreeningResult['outOfAuthority'];
    // "Sampah di kolong tol" is on the city's land; "asapnya sampai tol" is a fire elsewhere.
    if (get('toll') >= 3 && get('tollIncidental') === 0) {
      outOfAuthority = {
        code: 'toll_road',
        detail: 'toll road: managed by the toll operator, not by Pemprov DKI',
      };
    } else if (get('householdPower') >= 2.5 && get('streetLight') === 0) {
      outOfAuthority = {
        code: 'household_electricity',
        detail: 'household electricity supply: a PLN matter',
      };
    } else if (get('railway') >= 3) {
      outOfAuthority = { code: 'railway', detail: 'commuter rail: a PT KAI/KCI matter' };
    } else if (get('police') >= 3.5) {
      outOfAuthority = {
        code: 'national_police',
        detail: "conduct of the national police (traffic police, tickets): Polri's own complaint channel",
      };
    } else if (get('privateDispute') >= 3) {
      outOfAuthority = {
        code: 'private_dispute',
        detail:
          'a dispute between private parties (inheritance, debt, land claims): courts, BPN or mediation',
      };
    } else if (get('centralFacility') >= 3) {
      outOfAuthority = {
        code: 'central_government_facility',
        detail: 'a facility run by central government or its company (port, airport, GBK), not by Pemprov',
      };
    }
    return outOfAuthority;
  }

  private screenByRules(input: ScreeningInput): ScreeningResult {
    const { text, complaintScore } = input;
    const sig = text.signals;
    const s: Record<string, number> = {};
    for (const name of this.matchers.keys()) s[name] = this.score(name, text);
    const get = (name: string): number => s[name] ?? 0;
    const asksForAction = get('request') > 0;
    const base = { asksForAction, signalScores: s };

    const describesProblem = get('problem') >= 1;
    const outOfAuthority = this.outOfAuthority(get);
    // A problem with a place (kelurahan, landmark, point or app category) is a complaint, however
    // it is phrased: as a question, a joke, a test or with abuse. Only adverts and phishing are
    // rejected regardless. Same for a matter another body handles: it goes to an officer.
    const situated =
      describesProblem &&
      (input.namesPlace === true || input.hasLocation || input.hasHint || outOfAuthority !== undefined);
    // "Kenapa lampu PJU mati terus?" asks why something is broken: a complaint. So does
    // "kenapa air PAM di rumah saya kecil terus? Kel. X": a strong topic at a place.
    const placed = input.namesPlace === true || input.hasLocation || input.hasHint;
    const asksWhyBroken = get('why') > 0 && (describesProblem || (complaintScore >= 2.5 && placed));
    const contact = get('contact') + (sig.phones > 0 ? 2 : 0) + (sig.urls > 0 ? 2 : 0);
    const phishing = get('phishing') + (sig.urls > 0 ? 1 : 0) + 3 * sig.lookalikeUrls;
    // A link (or an .apk) plus prize/selection/"update your data" words is phishing even when
    // it names a city programme (bansos, KJP) that would otherwise read as a topic.
    const linked = sig.urls > 0 || get('phishing') >= 3;
    // With a link and many phishing words, a problem word ("data belum diperbarui") is bait, not
    // a complaint, unless the message is placed somewhere.
    const baited = linked && phishing >= 7 && !input.namesPlace && !input.hasLocation;
    if (phishing >= 4 && (complaintScore < 4 || (linked && !describesProblem && phishing >= 6) || baited)) {
      return { ...base, reject: { code: 'phishing', detail: 'prize/claim message with a link: phishing' } };
    }
    const spam = get('spam') + (sig.emojis >= 2 ? 0.5 : 0);
    // An advert asks to be contacted; a complaint about posters and stickers does not.
    const advertises = contact >= 1.5 || spam >= 7;
    // "Spanduk pinjol dipaku di pohon": adverts put up somewhere are the complaint, and so are
    // ones quoted with their phone number when the writer asks for them to come down.
    const placedAdverts = get('advertPlaced') >= 3 && (contact < 3 || get('removal') >= 2);
    if (
      spam >= 4 &&
      advertises &&
      !placedAdverts &&
      (complaintScore < spam || (contact >= 3 && complaintScore < spam + 3))
    ) {
      return {
        ...base,
        reject: { code: 'spam_or_advertising', detail: 'advertising or spam, not a complaint' },
      };
    }
    const commercial = get('commercial');
    if (commercial >= 3 && get('publicInfra') < 2 && complaintScore < commercial + 1) {
      return {
        ...base,
        reject: {
          code: 'private_commercial_matter',
          detail: "a private company's service (ISP, courier, bank…), outside the city's authority",
        },
      };
    }
    const tokenCount = text.tokens.length;
    const test = get('test');
    if (
      tokenCount > 0 &&
      !situated &&
      ((tokenCount <= 4 && test >= 2.5 && complaintScore < 1.5) ||
        (tokenCount <= 14 &&
          test >= 3 &&
          !describesProblem &&
          // "Tes aplikasi JAKI, fitur lapornya bisa ga": the app's name is no complaint.
          (complaintScore < 1 || (test >= 4 && complaintScore < 3.5))))
    ) {
      return { ...base, reject: { code: 'test_message', detail: 'a test message' } };
    }
    const abuse = get('abuse') + sig.censored * 3;
    if (abuse >= 2.5 && complaintScore < 3 && !situated) {
      return {
        ...base,
        reject: { code: 'abuse_without_complaint', detail: 'abuse or venting with no concrete complaint' },
      };
    }
    // "Capek hidup di Jakarta, panas, macet, polusi": weariness with the whole city names its
    // ills, but no place and no request; a person could not act on it.
    if (
      get('venting') >= 3 &&
      complaintScore < 4 &&
      !asksForAction &&
      !placed &&
      outOfAuthority === undefined
    ) {
      return {
        ...base,
        reject: {
          code: 'abuse_without_complaint',
          detail: 'venting about the city with no concrete complaint',
        },
      };
    }
    const political = get('political');
    // Campaign words ("coblos", "paslon") promise to fix problems: naming one does not make a complaint.
    if (political >= 3 && complaintScore < 2.5 && (!describesProblem || political >= 5) && !situated) {
      return {
        ...base,
        reject: {
          code: 'political_opinion',
          detail: 'a political opinion or campaign message, no complaint',
        },
      };
    }
    const question = get('question') + (sig.questionMarks > 0 ? 1 : 0) + (sig.yesNoQuestions > 0 ? 1 : 0);
    // "PKL di trotoar Kel. X bisa ditertibkan gak?" asks the city to act on a problem at a place.
    const placedRequest = asksForAction && complaintScore >= 2.5 && placed;
    if (
      question >= 2.5 &&
      !situated &&
      !placedRequest &&
      !asksWhyBroken &&
      // "Kapan pendaftaran KJP dibuka?" names a programme strongly but nothing wrong with it.
      // A request for action ("mohon perbaikannya") with strong topic evidence is a complaint.
      // "Saya ingin menanyakan prosedur izin …, mohon informasinya": asked for, not acted on.
      (complaintScore < 2.5 || (!describesProblem && (complaintScore < 4 || !asksForAction || question >= 5)))
    ) {
      return {
        ...base,
        reject: { code: 'information_question', detail: 'a request for information, not a complaint' },
      };
    }
    // A joke ("jalanannya lagi galau 😂") borrows complaint words but asks for nothing and names
    // no place; a laugh next to a concrete, described problem is still a complaint.
    const jokeWords = get('joke');
    // "tolong ditindak wkwk" about an empty wallet asks for action in jest: with no complaint
    // word at all, the request does not make it one.
    if (
      sig.laughs > 0 &&
      (!asksForAction || complaintScore < 1) &&
      !situated &&
      !input.hasLocation &&
      !input.namesPlace &&
      (complaintScore < 2 ||
        (!describesProblem && complaintScore < 4) ||
        (jokeWords >= 1.5 && complaintScore < 4))
    ) {
      return { ...base, reject: { code: 'joke', detail: 'a joke, no concrete complaint' } };
    }
    const chatter = get('chatter');
    // "[Foto] pak ini gimana ya": what is wrong may be in the picture, which a person can see.
    const attached = get('attachment') > 0;
    // From here on nothing is rejected that another body handles: it goes to an officer.
    if (outOfAuthority) return { ...base, outOfAuthority };
    if (
      chatter >= 2.5 &&
      (complaintScore < 2 || (chatter >= 4 && complaintScore < 3)) &&
      !describesProblem &&
      !input.hasHint &&
      !situated &&
      !attached
    ) {
      return { ...base, reject: { code: 'irrelevant', detail: 'greeting or chatter, no complaint' } };
    }
    // "Terima kasih petugas PPSU yang sigap membersihkan selokan": thanks for work done names
    // the work, not a problem. A polite "terima kasih sebelumnya" before a complaint comes with
    // a problem word, a request, a place or an app category, and is never rejected here.
    // "Makasih …, tapi potongannya ditinggal": what follows the turn is the complaint.
    const turns = get('contrast') > 0;
    const praise = get('praise');
    // Praise of a place ("Taman X sekarang bagus banget, keren") names it without a problem.
    const praisedPlace = praise >= 3.5 && complaintScore < 3 && !input.hasLocation;
    if (
      praise >= 2 &&
      get('politeThanks') === 0 &&
      !turns &&
      !describesProblem &&
      !asksForAction &&
      !input.hasHint &&
      !input.hasLocation &&
      (!input.namesPlace || praisedPlace) &&
      outOfAuthority === undefined
    ) {
      return { ...base, reject: { code: 'thanks', detail: 'thanks or praise, no complaint' } };
    }
    // "Makasih min, pohon tumbang kemarin udah ditangani cepet. Salut!": the problem named is done.
    if (
      praise >= 3 &&
      get('resolved') >= 2 &&
      !turns &&
      !input.hasHint &&
      !input.hasLocation &&
      outOfAuthority === undefined
    ) {
      return { ...base, reject: { code: 'thanks', detail: 'thanks for work done, no complaint' } };
    }
    if (
      tokenCount >= 3 &&
      complaintScore < 1 &&
      get('problem') === 0 &&
      !asksForAction &&
      !situated &&
      !input.hasHint &&
      !input.hasLocation &&
      !attached
    ) {
      return { ...base, reject: { code: 'irrelevant', detail: 'no complaint and no request for action' } };
    }

    return { ...base, ...(outOfAuthority ? { outOfAuthority } : {}) };
  }
}
