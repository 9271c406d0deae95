/**
 * The properties Klaviyo's e-commerce flows read for each of the eight events (Klaviyo's guide "Integrate a platform
 * without a pre-built Klaviyo integration"; README "The eight events"). For typing track(): a known name gets its
 * properties checked and autocompleted, every field optional, anything else still allowed.
 */
type Extra = Record<string, unknown>;

export interface ItemProperties extends Extra {
  ProductID?: string;
  SKU?: string;
  ProductName?: string;
  Quantity?: number;
  ItemPrice?: number;
  RowTotal?: number;
  ProductURL?: string;
  ImageURL?: string;
  ProductCategories?: string[];
  Categories?: string[];
  Brand?: string;
}

interface CartProperties extends Extra {
  ItemNames?: string[];
  CheckoutURL?: string;
  Items?: ItemProperties[];
}

export interface AddressProperties extends Extra {
  FirstName?: string;
  LastName?: string;
  Company?: string;
  Address1?: string;
  Address2?: string;
  City?: string;
  Region?: string;
  RegionCode?: string;
  Country?: string;
  CountryCode?: string;
  Zip?: string;
  Phone?: string;
}

export interface StandardEventProperties {
  'Logged In': Extra;
  'Viewed Product': Extra & {
    ProductName?: string;
    ProductID?: string;
    SKU?: string;
    Categories?: string[];
    ImageURL?: string;
    URL?: string;
    Brand?: string;
    Price?: number;
    CompareAtPrice?: number;
  };
  'Added to Cart': CartProperties & {
    AddedItemProductName?: string;
    AddedItemProductID?: string;
    AddedItemSKU?: string;
    AddedItemCategories?: string[];
    AddedItemImageURL?: string;
    AddedItemURL?: string;
    AddedItemPrice?: number;
    AddedItemQuantity?: number;
  };
  'Started Checkout': CartProperties & { Categories?: string[] };
  'Placed Order': Extra & {
    OrderId?: string;
    Categories?: string[];
    ItemNames?: string[];
    Brands?: string[];
    DiscountCode?: string;
    DiscountValue?: number;
    Items?: ItemProperties[];
    BillingAddress?: AddressProperties;
    ShippingAddress?: AddressProperties;
  };
  'Ordered Product': Extra & {
    OrderId?: string;
    ProductID?: string;
    SKU?: string;
    ProductName?: string;
    Quantity?: number;
    ProductURL?: string;
    ImageURL?: string;
    Categories?: string[];
    ProductBrand?: string;
  };
  'Searched Site': Extra & { SearchTerm?: string; ReturnedResults?: number };
  'Active on Site': Extra & { URL?: string };
}

/** An event name: the eight are suggested, any other string is allowed. */
export type EventName = keyof StandardEventProperties | (string & NonNullable<unknown>);

/** The properties track() takes for `N`: checked for the eight, free-form for any other name. */
export type PropertiesOf<N extends string> = N extends keyof StandardEventProperties
  ? StandardEventProperties[N]
  : Extra;
