import { DerTag, bufferView, derFail, type DerElement } from './der.ts'

const TIME = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d*[1-9])?Z$/

/** UTCTime (YYMMDDHHMMSSZ; 50..99 = 19xx) or GeneralizedTime (YYYYMMDDHHMMSS[.f]Z), DER forms only. */
export function derTime(element: DerElement): Date {
  const isUtc = element.tag === DerTag.utcTime
  if (!isUtc && element.tag !== DerTag.generalizedTime) {
    derFail(element.errorCode, `expected UTCTime or GeneralizedTime, got tag 0x${element.tag.toString(16)}`)
  }
  const text = bufferView(element.content).toString('latin1')
  const match = TIME.exec(text)
  if (match === null || (match[1] as string).length !== (isUtc ? 2 : 4) || (isUtc && match[7] !== undefined)) {
    return derFail(element.errorCode, `bad time ${JSON.stringify(text)}`)
  }
  let year = Number(match[1])
  if (isUtc) year += year >= 50 ? 1900 : 2000
  const [month, day, hour, minute, second] = match.slice(2, 7).map(Number) as [number, number, number, number, number]
  const millis = match[7] === undefined ? 0 : Math.floor(Number(`0${match[7]}`) * 1000)
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis))
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    derFail(element.errorCode, `time out of range ${JSON.stringify(text)}`)
  }
  return date
}
