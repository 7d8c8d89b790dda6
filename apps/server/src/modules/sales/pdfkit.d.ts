/** The part of pdfkit's API the delivery note uses (the package ships no type declarations). */
declare module 'pdfkit' {
  interface TextOptions {
    width?: number;
    align?: 'left' | 'center' | 'right';
    lineBreak?: boolean;
    ellipsis?: boolean | string;
  }
  class PDFDocument {
    constructor(options?: {
      size?: string;
      margin?: number;
      info?: Record<string, string>;
      bufferPages?: boolean;
    });
    page: { width: number; height: number };
    y: number;
    registerFont(name: string, src: string, family?: string): this;
    font(name: string, size?: number): this;
    fontSize(size: number): this;
    text(text: string, x?: number, y?: number, options?: TextOptions): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    lineWidth(w: number): this;
    stroke(): this;
    rect(x: number, y: number, w: number, h: number): this;
    fillColor(color: string): this;
    fill(color?: string): this;
    addPage(): this;
    on(event: 'data', listener: (chunk: Buffer) => void): this;
    on(event: 'end' | 'error', listener: (err?: Error) => void): this;
    end(): void;
  }
  export default PDFDocument;
}
