/** The detector's tunable numbers, in one place, with why each is what it is. */
export interface DetectorSettings {
  /** A stamp at or above this confidence decides; below it a person must look. */
  readonly strongConfidence: number;
  /** Without boxes: the first and last non-empty lines of a page are its stamp areas. */
  readonly topLines: number;
  readonly bottomLines: number;
  /** With boxes and a page height: the top and bottom bands of the page are its stamp areas. */
  readonly topBand: number;
  readonly bottomBand: number;
  /** A cell with more non-space characters than this is running text and is not tokenized. */
  readonly maxCellChars: number;
  /** Letters of other words a stamp line may carry (OCR specks, a stray "N") and still be a stamp. */
  readonly maxStrayLetters: number;
  /** A marking with one other short word beside it, in a stamp area, is weak evidence. */
  readonly crowdedMaxLetters: number;
  /** Confidence factor for a marking line with another word on it. */
  readonly crowdedFactor: number;
  /** Confidence factor for a marking line in the body of a page, away from the stamp areas. */
  readonly bodyFactor: number;
  /** Each edit beyond look-alike folding costs this share of the phrase's letters. */
  readonly editCost: number;
  /**
   * How far OCR confidence pulls a stamp's confidence down: factor = 1 − (1 − ocr) × ocrWeight.
   * Tesseract gives 0.65–0.95 to stamp lines it reads right, and an exact match of a marking is
   * itself evidence, so a middling OCR score alone does not send a clean stamp to a person;
   * below about 0.58 it does, and with an edit as well it does sooner.
   */
  readonly ocrWeight: number;
}

export const DEFAULT_SETTINGS: DetectorSettings = {
  strongConfidence: 0.75,
  topLines: 6,
  bottomLines: 3,
  topBand: 0.25,
  bottomBand: 0.12,
  // "СОВЕРШЕННО СЕКРЕТНО Экз. № 12 Рег. № 1234/56" is 40; prose lines run 60 and more.
  maxCellChars: 64,
  maxStrayLetters: 2,
  crowdedMaxLetters: 12,
  crowdedFactor: 0.6,
  bodyFactor: 0.6,
  editCost: 1.5,
  ocrWeight: 0.6,
};
