export const DEMO_PRODUCTS = [
  { name: 'Wireless Earbuds', price: 89_000, stock: 120 },
  { name: 'Mechanical Keyboard', price: 129_000, stock: 60 },
  { name: 'USB-C Charger 65W', price: 39_000, stock: 300 },
  { name: 'Noise Cancelling Headphones', price: 349_000, stock: 25 },
  { name: '27-inch 4K Monitor', price: 459_000, stock: 15 },
  { name: 'Ergonomic Mouse', price: 59_000, stock: 200 },
  { name: 'Laptop Stand', price: 45_000, stock: 150 },
  { name: 'Portable SSD 1TB', price: 139_000, stock: 80 },
  { name: 'Webcam 1080p', price: 69_000, stock: 90 },
  { name: 'Smart Watch', price: 299_000, stock: 40 },
  { name: 'Bluetooth Speaker', price: 79_000, stock: 110 },
  { name: 'Limited Edition Sneakers', price: 199_000, stock: 5 },
];

/** Users 1-3 start with a balance, so the demo token can order and pay at once. */
export const DEMO_BALANCES = [
  { userId: 1, amount: 1_000_000 },
  { userId: 2, amount: 500_000 },
  { userId: 3, amount: 100_000 },
];
