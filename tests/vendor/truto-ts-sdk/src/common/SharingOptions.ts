type SharingOptions = 'ask' | 'deny' | 'allow'

export default SharingOptions
