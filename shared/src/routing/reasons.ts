import type { Unserved, UnservedReason } from './types';

/** Why a stop is left out of the day's plan, for the supervisor: Vietnamese first, English second. */
export const UNSERVED_REASONS: Record<UnservedReason, { vi: string; en: string }> = {
  INVALID_STOP: {
    vi: 'Điểm dừng thiếu tọa độ hoặc có dữ liệu không hợp lệ (khung giờ, khối lượng, mã trùng).',
    en: 'The stop has no usable position or invalid data (time window, load, duplicate id).',
  },
  DEMAND_EXCEEDS_CAPACITY: {
    vi: 'Khối lượng cần nhận/giao tại điểm này vượt sức chở của một bưu tá.',
    en: 'The load at this stop is more than one courier can carry.',
  },
  TIME_WINDOW_UNREACHABLE: {
    vi: 'Không bưu tá nào đến kịp điểm này trong khung giờ hẹn với người dân.',
    en: "No courier can reach this stop within the citizen's time window.",
  },
  CANNOT_RETURN_IN_TIME: {
    vi: 'Nếu phục vụ điểm này, bưu tá không kịp về bưu cục trước khi hết ca.',
    en: 'Serving this stop would bring the courier back to the post office after the end of the shift.',
  },
  NO_VEHICLE_AVAILABLE: {
    vi: 'Không còn bưu tá nào đủ thời gian hoặc sức chở để nhận thêm điểm này trong ngày.',
    en: 'No courier has enough time or capacity left to take this stop today.',
  },
  STOP_FAILED: {
    vi: 'Lần nhận/phát tại điểm này không thành công; điểm đã được đưa ra khỏi lộ trình.',
    en: 'The attempt at this stop failed; it has been taken off the route.',
  },
  DEFERRED_FOR_LEGAL_DATE: {
    vi: 'Để sang ngày khác: các bưu tá cần thời gian hôm nay cho những hồ sơ đến hạn pháp lý hôm nay.',
    en: 'Left for another day: the couriers need today for dossiers whose legal date is today.',
  },
};

export const unserved = (id: string, reason: UnservedReason): Unserved => ({
  id,
  reason,
  ...UNSERVED_REASONS[reason],
});
