const money = new Intl.NumberFormat('vi-VN');

export const formatMoney = (amount: number) => `${money.format(amount)} ₫`;

export const formatDate = (isoDate: string) => {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return day && month && year ? `${day}/${month}/${year}` : isoDate;
};
